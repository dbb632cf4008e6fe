/** The Chromium the end-to-end tests and the Lighthouse audit drive, and the flags both give it. */

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** No sandbox, GPU, QUIC or background traffic: a quiet browser in a container (add a `--headless` flag). */
export const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
