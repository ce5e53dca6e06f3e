/**
 * The built dashboard (index.html + hashed assets) at DASHBOARD_PATH. No key is needed for these files: they
 * hold nothing secret, and the page signs in to the admin API itself. Every answer carries a strict CSP, so
 * even a bug in the page cannot load or send anything beyond this origin.
 *
 * Paths the page routes itself (`/dashboard/accounts`) get index.html; a missing asset is a plain 404, never
 * index.html (a browser would try to run HTML as a script). The folder is looked at on each request, so a
 * build made while the proxy runs is served at once.
 */
import fs from 'node:fs';
import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';

export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

/** The icon the dashboard's build carries (renderer/public/), also what /favicon.ico leads to. */
export const DASHBOARD_FAVICON = 'favicon.svg';

const NOT_BUILT_PAGE =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Kiro Dock</title></head><body>' +
  '<h1>Kiro Dock</h1><p>The dashboard is not built: run npm run build:renderer</p></body></html>\n';

export function dashboardStatic(dashboardDir: string | undefined): express.Router {
  const router = express.Router();
  router.use(securityHeaders);
  router.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      res
        .status(405)
        .type('text/plain')
        .send(`The dashboard answers GET and HEAD only, not ${req.method}.\n`);
      return;
    }
    // `/dashboard` → `/dashboard/`: the page's relative asset URLs resolve against the folder.
    if (req.path === '/' && !req.originalUrl.split('?')[0]!.endsWith('/')) {
      const query = req.originalUrl.slice(req.originalUrl.split('?')[0]!.length);
      res.redirect(301, `${req.baseUrl}/${query}`);
      return;
    }
    const index = dashboardDir && path.join(dashboardDir, 'index.html');
    if (!index || !fs.existsSync(index)) {
      res.status(503).type('html').setHeader('cache-control', 'no-store').send(NOT_BUILT_PAGE);
      return;
    }
    next();
  });
  if (dashboardDir) {
    router.use(
      express.static(dashboardDir, {
        index: ['index.html'],
        redirect: false,
        fallthrough: true,
        setHeaders: (res, file) => res.setHeader('cache-control', cacheControlOf(dashboardDir, file)),
      }),
    );
    router.use((req: Request, res: Response) => {
      if (isAssetPath(req.path)) {
        res.status(404).type('text/plain').send(`No dashboard file at ${req.baseUrl}${req.path}.\n`);
        return;
      }
      res.setHeader('cache-control', 'no-cache');
      res.sendFile(path.join(dashboardDir, 'index.html'));
    });
  }
  return router;
}

function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('content-security-policy', DASHBOARD_CSP);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('x-frame-options', 'DENY');
  next();
}

/** Hashed asset names change with their content, so they can be kept a year; index.html must always be fresh. */
function cacheControlOf(dashboardDir: string, file: string): string {
  const relative = path.relative(dashboardDir, file).split(path.sep);
  return relative[0] === 'assets' ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/** Under /assets/, or a last segment with an extension (`/favicon.ico`): a file, not a page of the app. */
function isAssetPath(requestPath: string): boolean {
  return requestPath.startsWith('/assets/') || /\.[A-Za-z0-9]+$/.test(requestPath);
}
