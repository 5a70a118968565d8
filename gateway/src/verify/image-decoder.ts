import { Inject, Injectable, OnModuleDestroy, UnprocessableEntityException } from '@nestjs/common';
import { join } from 'node:path';
import { ServerBusyError } from '../common/problem';
import { PoolBusyError, TaskTimeoutError, WorkerPool, WorkerScript } from '../common/worker-pool';
import { AppConfig } from '../config/app-config';
import { checkImageHeader, FORMAT_NAMES } from './image-header';

/** The decode worker's script: the compiled file beside this one (the unit tests load its TypeScript source). */
export const DECODE_WORKER = Symbol('DECODE_WORKER');
export const compiledDecodeWorker: WorkerScript = {
  filename: join(__dirname, 'decode-worker.js'),
  execArgv: [],
};

/**
 * Reads a QR code or GS1 DataMatrix from a photo or scan, off the event loop: the header's pixel count is
 * checked first (413), then a worker thread of a bounded pool decodes it within a time limit (422 when it
 * cannot, 503 when every worker is busy and the queue is full).
 */
@Injectable()
export class ImageDecoder implements OnModuleDestroy {
  readonly #pool: WorkerPool<Uint8Array, string | null>;
  readonly #maxPixels: number;
  readonly #timeoutMs: number;

  constructor(config: AppConfig, @Inject(DECODE_WORKER) script: WorkerScript) {
    this.#maxPixels = config.imageMaxPixels;
    this.#timeoutMs = config.imageDecodeTimeoutMs;
    this.#pool = new WorkerPool(script, {
      size: config.imageDecodeWorkers,
      maxQueue: config.imageDecodeQueue,
      timeoutMs: config.imageDecodeTimeoutMs,
    });
  }

  /**
   * The payload as a scanner would send it: the QR's text (a Digital Link URI), or for GS1 content the
   * symbology identifier followed by the raw element string with GS separators, which parseCode reads.
   */
  async decode(image: Uint8Array): Promise<string> {
    const { format } = checkImageHeader(image, this.#maxPixels);
    let text: string | null;
    try {
      text = await this.#pool.run(image);
    } catch (err) {
      if (err instanceof PoolBusyError)
        throw new ServerBusyError('every image decoder is busy; try again in a few seconds');
      if (err instanceof TaskTimeoutError)
        throw new UnprocessableEntityException(
          `the ${format} image could not be decoded within ${this.#timeoutMs / 1000} s`,
        );
      throw new UnprocessableEntityException(`the upload is not a readable ${FORMAT_NAMES} image`);
    }
    if (!text) throw new UnprocessableEntityException('no QR code or DataMatrix found in the image');
    return text;
  }

  onModuleDestroy(): Promise<void> {
    return this.#pool.close();
  }
}
