// Serves web/dist the way firebase.json hosting does (every unknown path rewrites to index.html)
// plus Hosting's reserved /__/firebase/init.json for a demo project, on a free port. Used while
// the Hosting emulator is not part of the local stack helper.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export interface StaticSite {
  url: string;
  stop(): Promise<void>;
}

export async function serveDist(distDir: string, projectId: string): Promise<StaticSite> {
  // What the Hosting emulator answers for a demo project (firebase-tools src/fetchWebSetup.ts).
  const init = JSON.stringify({ projectId, databaseURL: `https://${projectId}.firebaseio.com`, apiKey: 'fake-api-key', authDomain: `${projectId}.firebaseapp.com` });
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (path === '/__/firebase/init.json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(init);
      return;
    }
    let file = normalize(join(distDir, path));
    if (!file.startsWith(distDir) || !existsSync(file) || statSync(file).isDirectory()) file = join(distDir, 'index.html');
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
