import {
  request,
  type ClientRequest,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
} from 'node:http';

export interface RawAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/**
 * An HTTP request through node:http, for what fetch refuses to send (TRACE, a Content-Length
 * the body never fills, a body streamed chunk by chunk). `send` writes the body; it may keep
 * writing until `answered()` says the server has replied.
 */
export function rawRequest(
  baseUrl: string,
  /** Sent as written: no dot segments resolved, nothing escaped. */
  path: string,
  options: {
    method: string;
    /** An array value is sent as that many header lines. */
    headers?: OutgoingHttpHeaders;
    send?: (req: ClientRequest, answered: () => boolean) => void | Promise<void>;
  },
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const { hostname, port } = new URL(baseUrl);
    const req = request({ hostname, port, path, method: options.method, headers: options.headers });
    req.on('response', (res) => {
      answered = true;
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => {
        req.destroy(); // a body the server refused need not be sent to its end
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      });
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (!options.send) {
      req.end();
      return;
    }
    req.flushHeaders(); // the server sees the request even before a byte of body
    Promise.resolve(options.send(req, () => answered)).catch(reject);
  });
}
