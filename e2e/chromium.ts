/**
 * How Trailcast launches Debian's Chromium (never a downloaded browser) for the e2e flows and the web bench:
 * no sandbox (root in CI), no GPU, and none of the background traffic a fresh profile would start, so the
 * browser talks to 127.0.0.1 only.
 */
export const CHROMIUM_LAUNCH = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
};
