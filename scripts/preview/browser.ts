/**
 * Debian's Chromium driven by playwright-core (no browser download). The flags are the ones
 * measured to run here (ARCHITECTURE, toolchain facts); CHROMIUM_PATH points elsewhere.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync'
];

/** The Chromium executable, or null when it is not installed. */
export function chromiumPath(): string | null {
  const candidate = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  return existsSync(candidate) ? candidate : null;
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath)
    throw new Error(
      'Chromium is not installed: apt-get install -y chromium (or set CHROMIUM_PATH).'
    );
  return chromium.launch({
    executablePath,
    headless: true,
    args: CHROMIUM_FLAGS
  });
}
