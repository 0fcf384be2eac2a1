/**
 * An OTLP/HTTP receiver on 127.0.0.1 that writes each `POST /v1/traces` JSON body (gunzipped) as
 * one line of a file — what an OpenTelemetry collector's file exporter writes — and answers `200 {}`.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { main } from '../../harness/cli/main.ts';
import { captureIo } from './capture-io.ts';

export interface OtlpFileReceiver {
  /** Base URL for `run --otlp`. */
  readonly url: string;
  close(): Promise<void>;
}

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  return (request.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString('utf8');
}

/** Starts a receiver appending to `file` (created empty). */
export async function startOtlpFileReceiver(file: string): Promise<OtlpFileReceiver> {
  writeFileSync(file, '');
  const server = createServer((request, response) => {
    bodyOf(request)
      .then((body) => {
        // One object per line, as the collector's file exporter writes them.
        appendFileSync(file, `${JSON.stringify(JSON.parse(body))}\n`);
        response.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
      })
      .catch((error: unknown) => response.writeHead(400).end(String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}

/**
 * Runs `run <scenario> --db <db>` exporting over OTLP to a receiver that writes `traces` (one
 * request per line); returns the exit code.
 */
export async function runExportingTraces(scenario: string, db: string, traces: string): Promise<number> {
  const receiver = await startOtlpFileReceiver(traces);
  try {
    return await main(['run', scenario, '--db', db, '--otlp', receiver.url, '--no-report', '--quiet'], captureIo());
  } finally {
    await receiver.close();
  }
}
