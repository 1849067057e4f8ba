// Opens pages on one path for one signed-in person, in stages (counts from argv, e.g. 11,21), each GAP ms after the
// last; after each stage prints "open N" and waits for the file $FLAGS/next<stage> (bench/circuit-code/measure.sh).
const { chromium } = require(process.env.PW + '/package');
const fs = require('fs');
(async () => {
  const [,, email, path, countsArg] = process.argv;
  const counts = countsArg.split(',').map(Number);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu','--disable-background-networking','--disable-component-update','--disable-sync','--no-first-run','--disable-dev-shm-usage'] });
  const ctx = await browser.newContext({ baseURL: process.env.BASE, viewport: { width: 1280, height: 900 } });
  const login = await ctx.newPage();
  await login.goto('/Account/Login');
  await login.fill('input[name="Input.Email"]', email);
  await login.fill('input[name="Input.Password"]', 'Demo#2026pass');
  await login.click('button[type="submit"]');
  await login.waitForURL(u => u.toString().includes('/organizations/') || u.toString().endsWith('/support'));
  await login.goto('/Account/Manage');   // a static page: its circuit ends
  const pages = [];
  for (let stage = 0; stage < counts.length; stage++) {
    while (pages.length < counts[stage]) {
      const p = await ctx.newPage();
      await p.goto(path);
      await p.waitForSelector("[data-circuit='ready']", { state: 'attached', timeout: 60000 });
      pages.push(p);
      if (process.env.GAP) await new Promise(r => setTimeout(r, Number(process.env.GAP)));
    }
    console.log(`open ${pages.length}`);
    const flag = `${process.env.FLAGS}/next${stage}`;
    while (!fs.existsSync(flag)) await new Promise(r => setTimeout(r, 200));
  }
  await browser.close();
})().catch(e => { console.error(e); process.exit(1); });
