import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP relay between the service and its database, so a test can take the database away (every
 * connection dropped, new ones refused) and bring it back, without touching the shared server.
 */
export class TcpProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  /** Connections gone silent: destroyed only when the proxy stops. */
  private readonly silenced = new Set<Socket>();
  private port = 0;

  private constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  static async start(targetHost: string, targetPort: number): Promise<TcpProxy> {
    const proxy = new TcpProxy(targetHost, targetPort);
    await proxy.listen();
    return proxy;
  }

  get listeningPort(): number {
    return this.port;
  }

  /** The database "goes away": open connections die, new ones are refused. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of [...this.sockets, ...this.silenced]) socket.destroy();
    this.sockets.clear();
    this.silenced.clear();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }

  /**
   * The open connections go silent (as after a NAT forgets them, or a failover): nothing more
   * passes on them, nothing tells either end; new connections still work.
   */
  blackhole(): void {
    for (const socket of this.sockets) {
      socket.unpipe();
      socket.pause();
      this.silenced.add(socket);
    }
    this.sockets.clear();
  }

  /** The database is back on the same address. */
  async restore(): Promise<void> {
    await this.listen();
  }

  stop(): Promise<void> {
    return this.cut();
  }

  private listen(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.targetPort, this.targetHost);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        this.port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  }
}
