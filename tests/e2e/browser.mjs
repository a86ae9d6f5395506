// Shared set-up for the end-to-end tests: Debian's chromium driven by playwright-core
// (installed in tools/; never a downloaded browser).
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';

const require = createRequire(new URL('../../tools/package.json', import.meta.url));
const { chromium } = require('playwright-core');

export const BASE_URL = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
export const SCREENSHOTS = new URL('./screenshots/', import.meta.url).pathname;
mkdirSync(SCREENSHOTS, { recursive: true });

/** Where the app keeps the bearer token (src/session.rs). */
export const TOKEN_KEY = 'reservation-desk/token';

/**
 * Launches Debian's chromium. New contexts and pages start signed in as `token`
 * (default: the Admin agent); pass `token: ''` to start signed out.
 */
export async function launch() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run',
    ],
  });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async ({ token = 'demo-admin-agent', ...options } = {}) => {
    const context = await newContext(options);
    if (token) {
      await context.addInitScript(([key, value]) => {
        if (localStorage.getItem(key) === null) localStorage.setItem(key, value);
      }, [TOKEN_KEY, token]);
    }
    return context;
  };
  browser.newPage = async (options = {}) => (await browser.newContext(options)).newPage();
  return browser;
}

/** A new page that records console errors and failed requests, so a test can assert none. */
export async function openPage(browser, path) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const problems = [];
  page.on('console', (message) => { if (message.type() === 'error') problems.push(message.text()); });
  page.on('pageerror', (error) => problems.push(String(error)));
  await page.goto(BASE_URL + path);
  return { page, problems };
}
