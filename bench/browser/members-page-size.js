// Issue 25 point 6: Acme's members page (3,003 members) -> choose 100 rows per page -> 100 rows rendered, N runs, median.
// Usage: PW=<tests bin>/.playwright $PW/node/linux-x64/node bench/browser/members-page-size.js http://127.0.0.1:<port> 5
const { chromium } = require(process.env.PW + '/package');
(async () => {
  const [,, base, runs] = process.argv;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu','--disable-background-networking','--disable-component-update','--disable-sync','--no-first-run'] });
  const ctx = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  await page.goto('/Account/Login');
  await page.fill('input[name="Input.Email"]', 'olivia.owner@demo.multiorg.test');
  await page.fill('input[name="Input.Password"]', 'Demo#2026pass');
  await page.click('button[type="submit"]');
  await page.waitForLoadState('networkidle');
  const times = [];
  for (let i = 0; i < (+runs || 5); i++) {
    await page.goto(page.url().replace(/\/organizations\/([^/]+)\/.*/, '/organizations/$1/members'));
    await page.waitForSelector("[data-circuit='ready']", { state: 'attached', timeout: 30000 });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=members-grid] tbody tr').length >= 25);
    await page.click('.mud-table-pagination .mud-select');
    const item = page.locator('.mud-popover-open .mud-list-item', { hasText: /^100$/ });
    await item.waitFor();
    const t0 = Date.now();
    await item.click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=members-grid] tbody tr').length >= 100, null, { timeout: 30000 });
    times.push(Date.now() - t0);
  }
  times.sort((a, b) => a - b);
  console.log(JSON.stringify({ base, times, median: times[Math.floor(times.length / 2)] }));
  await browser.close();
})();
