/**
 * Debian's headless Chromium, driven by puppeteer-core (which never downloads a browser). One
 * browser for the whole tier; every host name it asks for is answered by `--host-resolver-rules`,
 * so it reaches nothing but our TLS proxy on 127.0.0.1, and with the flags below it does not try to
 * reach Google either (the machine has no network).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { killAndWait } from './processes';

/** Where Debian installs it (`apt-get install chromium`). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** A running browser with its own profile dir. */
export interface Chromium {
  readonly browser: Browser;
  readonly pid: number;
  readonly userDataDir: string;
  /** Closes the browser, kills its PID if it is still alive, and removes the profile dir. */
  readonly stop: () => Promise<void>;
}

/**
 * Launches Chromium with only the flags listed here (puppeteer's defaults are off, so each one is
 * visible). `hostNames` all resolve to 127.0.0.1:`port`; every other name fails to resolve.
 */
export async function launchChromium(hostNames: readonly string[], port: number): Promise<Chromium> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'browser-tier-profile-'));
  const rules = [...hostNames.map((name) => `MAP ${name} 127.0.0.1:${port}`), 'MAP * ~NOTFOUND'].join(', ');
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      executablePath: CHROMIUM_PATH,
      ignoreDefaultArgs: true,
      pipe: true,
      args: [
        // As root (CI, this machine), Chromium refuses to start without --no-sandbox.
        '--no-sandbox',
        '--headless',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-dev-shm-usage',
        `--user-data-dir=${userDataDir}`,
        `--host-resolver-rules=${rules}`,
        // The certificate is self-signed, made by certificate.ts for this run.
        '--ignore-certificate-errors',
        'about:blank',
      ],
    });
  } catch (error) {
    fs.rmSync(userDataDir, { recursive: true, force: true });
    throw error;
  }
  const pid = browser.process()?.pid;
  if (pid === undefined) {
    await browser.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
    throw new Error('launchChromium: puppeteer started Chromium without a process id');
  }
  return {
    browser,
    pid,
    userDataDir,
    stop: async () => {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([browser.close().catch(() => undefined), new Promise((resolve) => {
        timer = setTimeout(resolve, 5000);
      })]);
      clearTimeout(timer);
      await killAndWait(pid);
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A page at `origin` in a browser context of its own (no cookies, cache or preflight cache shared
 * with another origin), with the HTTP cache off.
 */
export async function pageAt(browser: Browser, origin: string): Promise<Page> {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setCacheEnabled(false);
  const response = await page.goto(`${origin}/`, { waitUntil: 'load' });
  if (response === null || response.status() !== 200) {
    throw new Error(`pageAt: ${origin}/ answered ${response?.status() ?? 'nothing'}`);
  }
  return page;
}
