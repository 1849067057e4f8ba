// Issue 28 point 5: bytes a first visit transfers (headers and bodies as sent, compressed or not), for the sign-in page
// and for the dashboard after signing in, each in a fresh browser profile (nothing cached).
// Usage: PW=<tests bin>/.playwright $PW/node/linux-x64/node bench/browser/transfer.js http://127.0.0.1:<port> [label]
const { chromium } = require(process.env.PW + '/package');

async function visit(browser, base, signIn) {
  const ctx = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  const byRequest = new Map();
  const urls = new Map();
  cdp.on('Network.responseReceived', e => urls.set(e.requestId, { url: e.response.url, encoding: e.response.headers['content-encoding'] || e.response.headers['Content-Encoding'] || '' }));
  // encodedDataLength: what crossed the wire for this request (headers and body), WebSocket frames excluded.
  cdp.on('Network.loadingFinished', e => byRequest.set(e.requestId, e.encodedDataLength));
  await page.goto('/Account/Login');
  if (signIn) {
    await page.fill('input[name="Input.Email"]', 'olivia.owner@demo.multiorg.test');
    await page.fill('input[name="Input.Password"]', 'Demo#2026pass');
    await page.click('button[type="submit"]');
    await page.waitForURL(/\/organizations\/.*\/dashboard/);
  }
  // The sign-in page is rendered on the server without a circuit; the dashboard waits for its circuit.
  if (signIn) await page.waitForSelector("[data-circuit='ready']", { state: 'attached', timeout: 30000 });
  await page.waitForLoadState('networkidle');
  let total = 0;
  const files = [];
  for (const [id, bytes] of byRequest) {
    total += bytes;
    const u = urls.get(id);
    if (u) files.push({ path: new URL(u.url).pathname, bytes, encoding: u.encoding });
  }
  files.sort((a, b) => b.bytes - a.bytes);
  await ctx.close();
  return { total, files: files.slice(0, 6) };
}

(async () => {
  const [,, base, label] = process.argv;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu','--disable-background-networking','--disable-component-update','--disable-sync','--no-first-run'] });
  const signInPage = await visit(browser, base, false);
  const dashboard = await visit(browser, base, true);
  console.log(JSON.stringify({ label: label || base, signInPage, dashboard }));
  await browser.close();
})();
