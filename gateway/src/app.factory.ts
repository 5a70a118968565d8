import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { dirname, join } from 'node:path';
import { AppModule } from './app.module';
import { ApiKeyGuard } from './auth/api-key.guard';
import { useJsonBody } from './common/json-body';
import { pages } from './common/pages';
import { ProblemFilter } from './common/problem.filter';
import { requestTurns } from './common/request-turns';
import { securityHeaders } from './common/security-headers';
import { createValidationPipe } from './common/validation';
import { AppConfig } from './config/app-config';
import { httpMetrics } from './metrics/http-metrics';
import { MetricsService } from './metrics/metrics.service';
import { RateLimitGuard } from './rate-limit/rate-limit.guard';
import { resolverPathGuard } from './resolver/resolver-error.filter';
import { VerifyController } from './verify/verify.controller';
import { VerifyLane } from './verify/verify-lane';

export const PUBLIC_DIR = join(__dirname, '..', 'public');
const ZXING_READER_DIR = dirname(require.resolve('zxing-wasm/reader/zxing_reader.wasm'));

/** Everything `main.ts` and the tests share: body limit, validation, the problem filter, pages, OpenAPI. */
export function configureApp(app: NestExpressApplication): NestExpressApplication {
  const config = app.get(AppConfig);
  app.useLogger(app.get(Logger));
  // req.ip is the client's address, or the one the configured proxies name; nobody else's X-Forwarded-For.
  app.set('trust proxy', config.trustProxy);
  app.use(httpMetrics(app.get(MetricsService)));
  app.use(requestTurns());
  // API answers are not cached by validators; an ETag is a SHA-1 of every JSON body. Static files keep theirs.
  app.set('etag', false);
  app.use(securityHeaders());
  useJsonBody(app, config.bodyLimit, config.jsonMaxDepth);
  // The counter's scan, past the router but through the route's own guards, handler and problem filter.
  app.use(
    new VerifyLane(app.get(VerifyController), [app.get(ApiKeyGuard), app.get(RateLimitGuard)]).handle(),
  );
  app.disable('x-powered-by');
  app.use(resolverPathGuard());
  app.useGlobalPipes(createValidationPipe(config.maxErrorDetails));
  app.useGlobalFilters(new ProblemFilter());
  app.use(pages(PUBLIC_DIR));
  // The scan page decodes camera frames in the browser with the same decoder, served from the package.
  app.useStaticAssets(ZXING_READER_DIR, { prefix: '/vendor/zxing-wasm/reader/' });
  app.useStaticAssets(join(ZXING_READER_DIR, '..', 'iife'), { prefix: '/vendor/zxing-wasm/iife/' });
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('DrugTrace API')
      .setDescription(
        'Serialized drug packs on Hyperledger Fabric: commission, ship, verify, dispense, recall, audit.',
      )
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'demo keys: .drugtrace/api-keys.json' })
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}

export async function createApp(): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    bufferLogs: true,
    bodyParser: false,
  });
  // Graceful stop on SIGTERM: queued alerts are flushed, then gateways and gRPC clients closed.
  return configureApp(app).enableShutdownHooks();
}
