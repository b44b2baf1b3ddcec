import net from 'node:net';

/** A TCP port nobody listens on right now (the OS picks it), on the given host. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const addr = server.address();
      server.close(() => {
        if (typeof addr === 'object' && addr) resolve(addr.port);
        else reject(new Error('the OS gave no port'));
      });
    });
  });
}
