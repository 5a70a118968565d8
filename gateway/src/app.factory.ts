import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json } from 'express';
import { Logger } from 'nestjs-pino';
import { dirname, join } from 'node:path';
import { AppModule } from './app.module';
import { ProblemFilter } from './common/problem.filter';
import { createValidationPipe } from './common/validation';
import { AppConfig } from './config/app-config';

const PUBLIC_DIR = join(__dirname, '..', 'public');

/** Builds the application the same way for `main.ts` and for tests. */
export async function createApp(): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bufferLogs: true, bodyParser: false });
  const config = app.get(AppConfig);
  app.useLogger(app.get(Logger));
  app.use(json({ limit: config.bodyLimit }));
  app.disable('x-powered-by');
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemFilter());
  app.enableShutdownHooks();
  app.useStaticAssets(PUBLIC_DIR, { index: 'index.html' });
  app.useStaticAssets(dirname(require.resolve('zxing-wasm/reader/zxing_reader.wasm')), { prefix: '/vendor/zxing-wasm/reader/' });
  app.useStaticAssets(join(dirname(require.resolve('zxing-wasm/reader/zxing_reader.wasm')), '..', 'iife'), { prefix: '/vendor/zxing-wasm/iife/' });
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('DrugTrace API')
      .setDescription('Serialized drug packs on Hyperledger Fabric: commission, ship, verify, dispense, recall, audit.')
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'demo keys: .drugtrace/api-keys.json' })
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
