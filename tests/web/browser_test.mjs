// Browser tests of the ws transport and the web clients, in Debian's Chromium (headless), driven
// by playwright-core (no browser download). Each case starts its own `rdkernel serve` on a free
// port (synthetic desktop) and a fresh page.
//
//   node tests/web/browser_test.mjs --rdkernel build/bin/rdkernel [--only NAME] [--keep]
//
// Environment: RDK_CHROMIUM (default /usr/bin/chromium), RDK_XPRA_WWW (default /usr/share/xpra/www).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const rdkernel = arg('--rdkernel', path.join(here, '../../build/bin/rdkernel'));
const only = arg('--only', '');
const chromiumPath = process.env.RDK_CHROMIUM || '/usr/bin/chromium';
const xpraWww = process.env.RDK_XPRA_WWW || '/usr/share/xpra/www';

function die(message) {
  console.error('browser_test: ' + message);
  process.exit(1);
}
if (!fs.existsSync(path.join(here, 'node_modules/playwright-core'))) {
  die(`playwright-core is not installed in ${here}/node_modules: run scripts/install-deps.sh (it runs npm ci there)`);
}
if (!fs.existsSync(chromiumPath)) die(`no Chromium at ${chromiumPath}: run scripts/install-deps.sh (apt package chromium)`);
if (!fs.existsSync(rdkernel)) die(`no rdkernel at ${rdkernel}: build first`);
const { chromium } = await import('playwright-core');

// The flags this machine's notes ask for: no sandbox (root), no GPU, no network chatter.
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage',
  // The sound case plays without a click (the web client asks for sound once its AudioContext runs).
  '--autoplay-policy=no-user-gesture-required'];

const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rdk-web-test-'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Starts `rdkernel serve` on ws://127.0.0.1:<port> (0: a free one); resolves when it listens. */
function startServer(extra = [], port = 0, scheme = 'ws') {
  return startRdkernel(['serve', '--bind', `${scheme}://127.0.0.1:${port}`, ...extra]);
}

/** Starts `rdkernel ARGS...`; resolves when it prints the ws:// or wss:// address it listens on. */
function startRdkernel(argv) {
  return new Promise((resolve, reject) => {
    const proc = spawn(rdkernel, argv, {
      env: { ...process.env, XDG_CACHE_HOME: cacheDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    const timer = setTimeout(() => reject(new Error(`rdkernel ${argv[0]} did not start:\n` + log)), 20000);
    const onData = (d) => {
      log += d.toString();
      const m = /listening on wss?:\/\/127\.0\.0\.1:(\d+)/.exec(log);
      if (m && !proc.port) {
        proc.port = Number(m[1]);
        clearTimeout(timer);
        resolve(proc);
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.log = () => log;
    proc.on('exit', (code) => {
      proc.exited = true;
      if (!proc.port) {
        clearTimeout(timer);
        reject(new Error(`rdkernel ${argv[0]} exited with ${code}:\n${log}`));
      }
    });
  });
}

async function stopServer(proc) {
  if (!proc || proc.exited) return;
  const exited = new Promise((r) => proc.on('exit', r));
  proc.kill('SIGTERM');
  await Promise.race([exited, sleep(5000)]);
  if (!proc.exited) proc.kill('SIGKILL');
}

async function waitFor(page, fn, arg, what, timeoutMs = 15000) {
  try {
    await page.waitForFunction(fn, arg, { timeout: timeoutMs, polling: 100 });
  } catch (e) {
    const state = await page.evaluate(() => {
      const c = window.rdkClient;
      return c ? { state: c.state, message: document.getElementById('message')?.textContent, stats: { ...c.stats, latencies: c.stats.latencies.length, paintTimes: undefined, paintLog: undefined } } : 'no rdkClient';
    }).catch(() => 'page gone');
    throw new Error(`timed out waiting for ${what}: ${JSON.stringify(state)}`);
  }
}

// The synthetic desktop's colour bars (plugins/platforms/synthetic/desktop_scene.cpp).
function barsGeometry(width, height) {
  const half = Math.floor(width / 2);
  const video = { x: half + 8, y: 28, w: width - half - 16, h: Math.floor((height - 36) / 2) };
  const area = { x: video.x, y: video.y + video.h + 8, w: video.w, h: height - 8 - (video.y + video.h + 8) };
  const colours = [0xffffff, 0xffff00, 0x00ffff, 0x00ff00, 0xff00ff, 0xff0000, 0x0000ff, 0x000000];
  return { area, colours };
}

/** In the page: how many pixels of the bars in window 1's canvas differ from the expected colours
 *  by more than |tolerance| (per channel). -1 while window 1 is not there. */
function barsMismatch({ geometry, tolerance, predicate }) {
  const win = window.rdkClient?.windows.get(1);
  if (!win) return predicate ? false : -1;
  const samples = [];
  const { area, colours } = geometry;
  const data = win.ctx.getImageData(area.x, area.y, area.w, area.h).data;
  let bad = 0;
  for (let i = 0; i < 8; i++) {
    const x0 = Math.floor((area.w * i) / 8);
    const x1 = Math.floor((area.w * (i + 1)) / 8);
    const c = colours[i];
    const r = c >> 16, g = (c >> 8) & 255, b = c & 255;
    for (let y = 0; y < area.h; y++) {
      for (let x = x0; x < x1; x++) {
        const o = (y * area.w + x) * 4;
        if (Math.abs(data[o] - r) > tolerance || Math.abs(data[o + 1] - g) > tolerance || Math.abs(data[o + 2] - b) > tolerance) {
          if (bad++ < 3) samples.push(`(${area.x + x},${area.y + y}) is ${data[o]},${data[o + 1]},${data[o + 2]} not ${r},${g},${b}`);
        }
      }
    }
  }
  window.barsSamples = samples;
  return predicate ? bad === 0 : bad;  // as a predicate: every bar pixel is right
}

async function waitForBars(page, what, tolerance = 0) {
  await waitFor(page, barsMismatch, { geometry, tolerance, predicate: true }, what).catch(async (e) => {
    const n = await page.evaluate(barsMismatch, { geometry, tolerance });
    const samples = await page.evaluate(() => window.barsSamples);
    throw new Error(`${e.message}; ${n} pixels differ, e.g. ${samples.join('; ')}`);
  });
}

const stats = (page) => page.evaluate(() => {
  const c = window.rdkClient;
  let videoErrors = 0;
  for (const w of c.windows.values()) videoErrors += w.videoErrors();
  return { state: c.state, connects: c.stats.connects, draws: c.stats.draws, codings: c.stats.codings,
    decodeErrors: c.stats.decodeErrors, drawErrors: c.stats.drawErrors, waits: c.stats.waits, videoErrors,
    encodings: c.stats.encodings, latencies: c.stats.latencies.length, message: document.getElementById('message').textContent };
});

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

/** A raw HTTP request (browsers normalise '..' away, so path escapes need a socket). */
function rawHttp(port, request) {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(request));
    let data = '';
    s.on('data', (d) => { data += d.toString('latin1'); });
    s.on('end', () => resolve(data));
    s.on('error', reject);
    s.setTimeout(5000, () => { s.destroy(); resolve(data); });
  });
}

/** Handshakes, sends |frame| raw, and returns the server's close frame {code, reason}. */
function rawWebSocket(port, frame) {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => {
      s.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
              'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n');
    });
    let buf = Buffer.alloc(0);
    let upgraded = false;
    s.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (!upgraded) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buf.subarray(0, end).toString();
        if (!head.startsWith('HTTP/1.1 101')) { s.destroy(); reject(new Error('no upgrade: ' + head)); return; }
        upgraded = true;
        buf = buf.subarray(end + 4);
        s.write(frame);
      }
      // Skip data frames until the close frame (opcode 8).
      while (buf.length >= 2) {
        let len = buf[1] & 0x7f, head = 2;
        if (len === 126) { if (buf.length < 4) return; len = buf.readUInt16BE(2); head = 4; }
        else if (len === 127) { if (buf.length < 10) return; len = Number(buf.readBigUInt64BE(2)); head = 10; }
        if (buf.length < head + len) return;
        const opcode = buf[0] & 0x0f;
        const payload = buf.subarray(head, head + len);
        buf = buf.subarray(head + len);
        if (opcode === 8) {
          s.destroy();
          resolve({ code: payload.readUInt16BE(0), reason: payload.subarray(2).toString() });
          return;
        }
      }
    });
    s.on('error', reject);
    s.setTimeout(5000, () => { s.destroy(); reject(new Error('no close frame')); });
  });
}

function maskedFrame(opcode, payload, rsv = 0) {
  const body = Buffer.from(payload);
  const mask = Buffer.from([1, 2, 3, 4]);
  const head = Buffer.from([0x80 | (rsv << 4) | opcode, 0x80 | body.length]);
  const masked = Buffer.from(body.map((b, i) => b ^ mask[i % 4]));
  return Buffer.concat([head, mask, masked]);
}

// ---- the cases ---------------------------------------------------------------------------------

const cases = [];
const test = (name, fn) => cases.push({ name, fn });

async function openClient(ctx, port, query) {
  const page = await ctx.browser.newPage({ viewport: { width: 1280, height: 720 } });
  ctx.pages.push(page);
  page.on('console', (m) => {
    if (/Content.Security.Policy|Refused to/i.test(m.text())) ctx.cspViolations.push(m.text());
    if (m.type() === 'error') ctx.consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => ctx.pageErrors.push(e.message));
  // (Xpra's index.html asks for a background.png Debian does not ship: only code counts.)
  page.on('response', (r) => { if (r.status() >= 400 && /\.(js|css|html)(\?|$)/.test(r.url())) ctx.httpErrors.push(`${r.status()} ${r.url()}`); });
  await page.goto(`http://127.0.0.1:${port}/${query}`);
  return page;
}

const geometry = barsGeometry(1280, 720);

test('lossless rgb: the colour bars read back exactly', async (ctx) => {
  const server = await ctx.server([]);
  const page = await openClient(ctx, server.port, '?encodings=rgb');
  await waitFor(page, () => window.rdkClient?.state === 'connected', null, 'the connection');
  await waitForBars(page, 'exact colour bars');
  const s = await stats(page);
  assert(Object.keys(s.codings).every((c) => c === 'rgb24' || c === 'rgb32'), 'codings ' + JSON.stringify(s.codings));
  assert(s.decodeErrors === 0, 'decode errors: ' + s.decodeErrors);
  assert(ctx.cspViolations.length === 0, 'CSP violations: ' + ctx.cspViolations.join('; '));
  assert(ctx.pageErrors.length === 0, 'page errors: ' + ctx.pageErrors.join('; '));
  return `${s.draws} draws ${JSON.stringify(s.codings)}`;
});

test('lossless png: the colour bars read back exactly', async (ctx) => {
  const server = await ctx.server([]);
  const page = await openClient(ctx, server.port, '?encodings=png');
  await waitForBars(page, 'exact colour bars');
  const s = await stats(page);
  assert(Object.keys(s.codings).every((c) => c.startsWith('png')), 'codings ' + JSON.stringify(s.codings));
  assert(s.decodeErrors === 0, 'decode errors: ' + s.decodeErrors);
  return `${s.draws} draws ${JSON.stringify(s.codings)}`;
});

for (const [codec, wanted] of [['vp8', 40], ['vp9', 20]]) {
  test(`${codec} draws decode with WebCodecs, no decode error`, async (ctx) => {
    const server = await ctx.server([]);
    const page = await openClient(ctx, server.port, `?encodings=${codec},png`);
    const offered = await page.evaluate(async () => {
      while (!window.rdkClient?.stats.encodings.length) await new Promise((r) => setTimeout(r, 50));
      return window.rdkClient.stats.encodings;
    });
    assert(offered.includes(codec), `this Chromium does not decode ${codec} with WebCodecs: ${offered}`);
    await waitFor(page, ({ codec: c, wanted: n }) => (window.rdkClient.stats.codings[c] || 0) >= n,
      { codec, wanted }, `${wanted} ${codec} draws`, 30000);
    const s = await stats(page);
    assert(s.decodeErrors === 0 && s.videoErrors === 0 && s.drawErrors === 0,
      `errors: decode ${s.decodeErrors} video ${s.videoErrors} draw ${s.drawErrors}`);
    // The video area is painted: many distinct colours, not a blank canvas.
    const distinct = await page.evaluate(() => {
      const d = window.rdkClient.windows.get(1).ctx.getImageData(660, 40, 600, 300).data;
      const seen = new Set();
      for (let i = 0; i < d.length; i += 4 * 97) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
      return seen.size;
    });
    assert(distinct > 200, 'the video area looks blank: ' + distinct + ' colours');
    return `${s.codings[codec]} ${codec} draws, ${distinct} colours in the video area, 0 errors`;
  });
}

test('typed keys come back in the Notes title; clicks and the wheel draw markers', async (ctx) => {
  const server = await ctx.server([]);
  const page = await openClient(ctx, server.port, '?encodings=rgb,png');
  await waitFor(page, () => window.rdkClient?.windows.get(2)?.title.startsWith('Notes'), null, 'the Notes window');
  await page.keyboard.type('Hi web 42');
  await waitFor(page, () => window.rdkClient.windows.get(2).title.endsWith('Hi web 42'), null, "the title 'Notes: ...Hi web 42'")
    .catch(async (e) => { throw new Error(e.message + '; title: ' + await page.evaluate(() => window.rdkClient.windows.get(2).title)); });
  const title = await page.evaluate(() => window.rdkClient.windows.get(2).title);
  // Points of the page where Notes is on top (a dialog may cover part of it).
  const points = await page.evaluate(() => {
    const w = window.rdkClient.windows.get(2);
    const out = [];
    for (let y = w.y + 60; y < w.y + w.h - 20 && out.length < 2; y += 37) {
      for (let x = w.x + 40; x < w.x + w.w - 20 && out.length < 2; x += 53) {
        if (document.elementFromPoint(x, y)?.closest('.rdk-window')?.dataset.wid === '2') out.push([x, y]);
      }
    }
    return out;
  });
  assert(points.length === 2, 'no visible part of Notes to click');
  const pixelIs = ({ p, rgb }) => {
    const w = window.rdkClient.windows.get(2);
    const d = w.ctx.getImageData(p[0] - w.x, p[1] - w.y, 1, 1).data;
    return d[0] === rgb[0] && d[1] === rgb[1] && d[2] === rgb[2];
  };
  // Button 1 draws a red cross (0xff2020) at the click; a wheel step up (button 4) a blue one.
  await page.mouse.click(points[0][0], points[0][1]);
  await waitFor(page, pixelIs, { p: points[0], rgb: [255, 32, 32] }, 'a red marker where button 1 was clicked');
  await page.mouse.move(points[1][0], points[1][1]);
  await page.mouse.wheel(0, -120);
  await waitFor(page, pixelIs, { p: points[1], rgb: [32, 32, 255] }, 'a blue marker where the wheel turned');
  return `title '${title}', markers at ${JSON.stringify(points)}`;
});

test('a wrong password shows an error; the right one (asked for) connects', async (ctx) => {
  const server = await ctx.server(['--set', 'server.auth.ws=password:value=s3cret']);
  const page = await openClient(ctx, server.port, '?password=wrong');
  await waitFor(page, () => /authentication failed/.test(document.getElementById('message').textContent) &&
    document.getElementById('message').classList.contains('error'), null, "'authentication failed'");
  const s = await stats(page);
  assert(s.connects === 0, 'connected with a wrong password');
  await sleep(1500);
  assert((await stats(page)).state === 'closed', 'it should not retry a failed authentication');
  const message = s.message;
  const page2 = await openClient(ctx, server.port, '');
  await page2.waitForSelector('#login:not([hidden])', { timeout: 10000 });
  await page2.fill('#login-password', 's3cret');
  await page2.click('#login button');
  await waitFor(page2, () => window.rdkClient.state === 'connected' && window.rdkClient.windows.size > 0, null, 'a connection with the password');
  return `'${message}'; then connected through the password prompt`;
});

test('through rdkernel proxy: the page, then each user their own session; a wrong password refused', async (ctx) => {
  const dir = fs.mkdtempSync(path.join(cacheDir, 'proxy-'));
  fs.writeFileSync(path.join(dir, 'users'), 'alice|wonderland|||||size=640x400\nbob|builder|||||size=800x500\n', { mode: 0o600 });
  const proxy = await startRdkernel(['proxy', '--bind', 'ws://127.0.0.1:0', '--users', path.join(dir, 'users'),
    '--state-dir', path.join(dir, 'state'), '--launcher', 'child']);
  ctx.servers.push(proxy);
  // A window exists before its first draw arrives: waiting for windows alone once read 0 draws
  // (a clean-clone CI run with sanitizer builds beside it).
  const connected = () => window.rdkClient?.state === 'connected' && window.rdkClient.windows.size > 0 &&
    window.rdkClient.stats.draws > 0;
  const wrong = await openClient(ctx, proxy.port, '?username=alice&password=looking-glass&reconnect=0');
  await waitFor(wrong, () => /authentication failed/.test(document.getElementById('message').textContent), null,
    "'authentication failed' from the proxy");
  const alice = await openClient(ctx, proxy.port, '?username=alice&password=wonderland&encodings=rgb,png');
  const bob = await openClient(ctx, proxy.port, '?username=bob&password=builder&encodings=rgb,png');
  await waitFor(alice, connected, null, "alice's desktop", 30000);
  await waitFor(bob, connected, null, "bob's desktop", 30000);
  for (const page of [alice, bob]) {
    const s = await stats(page);
    assert(s.decodeErrors === 0 && s.draws > 0, `draws ${s.draws}, decode errors ${s.decodeErrors}`);
  }
  // Two sessions, one per user, each page on its user's (the proxy's log names the pids).
  const pids = ['alice', 'bob'].map((u) => new RegExp(`user '${u}' -> session pid (\\d+) .*\\(ws, its ws bind\\)`).exec(proxy.log())?.[1]);
  assert(pids[0] && pids[1] && pids[0] !== pids[1], 'sessions: ' + proxy.log().split('\n').filter((l) => l.includes('-> session')).join('; '));
  assert(ctx.cspViolations.length === 0, 'CSP violations: ' + ctx.cspViolations.join('; '));
  assert(ctx.httpErrors.length === 0, 'HTTP errors: ' + ctx.httpErrors.join('; '));
  return `alice on pid ${pids[0]}, bob on pid ${pids[1]}; the wrong password refused`;
});

test('the stock Xpra 3.1.3 HTML5 client connects and paints', async (ctx) => {
  if (!fs.existsSync(path.join(xpraWww, 'index.html'))) {
    throw new Error(`${xpraWww} is missing: install Debian's xpra package (scripts/install-deps.sh)`);
  }
  const server = await ctx.server(['--set', `server.www-dir=${xpraWww}`]);
  const page = await openClient(ctx, server.port, 'index.html?sound=false&floating_menu=false&clipboard=false&printing=false&file_transfer=false');
  // Its desktop window canvas shows the bars (it may use jpeg: a tolerance for lossy coding).
  await waitFor(page, ({ geometry: g }) => {
    for (const c of document.querySelectorAll('canvas')) {
      if (c.width !== 1280 || c.height !== 720) continue;
      const ctx2d = c.getContext('2d');
      let ok = 0;
      for (let i = 0; i < 8; i++) {
        const x = g.area.x + Math.floor((g.area.w * (2 * i + 1)) / 16);
        const y = g.area.y + Math.floor(g.area.h / 2);
        const [r, gg, b] = ctx2d.getImageData(x, y, 1, 1).data;
        const e = g.colours[i];
        if (Math.abs(r - (e >> 16)) < 40 && Math.abs(gg - ((e >> 8) & 255)) < 40 && Math.abs(b - (e & 255)) < 40) ok++;
      }
      if (ok === 8) return true;
    }
    return false;
  }, { geometry }, 'the stock client painting the colour bars', 20000);
  assert(ctx.httpErrors.length === 0, 'HTTP errors: ' + ctx.httpErrors.join(', '));
  assert(/connected to ws:\/\//.test(server.log()), 'the server saw no client');
  const canvases = await page.evaluate(() => document.querySelectorAll('canvas').length);
  return `${canvases} canvases, colour bars painted, all its files served (jQuery through the /usr/share/javascript link)`;
});

test('the client reconnects after the server comes back', async (ctx) => {
  const first = await ctx.server([]);
  const port = first.port;
  const page = await openClient(ctx, port, '?encodings=png');
  await waitFor(page, () => window.rdkClient?.stats.connects === 1 && window.rdkClient.windows.size > 0, null, 'the first connection');
  await stopServer(first);
  await waitFor(page, () => window.rdkClient.state !== 'connected' && /reconnecting/.test(document.getElementById('message').textContent), null, "'reconnecting'");
  await ctx.server([], port);
  await waitFor(page, () => window.rdkClient.stats.connects === 2 && window.rdkClient.windows.size > 0, null, 'the second connection', 20000);
  await waitForBars(page, 'exact colour bars after reconnecting');
  return 'reconnected and repainted';
});

test('wss: the page over https and its WebSocket over TLS', async (ctx) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rdk-web-tls-'));
  ctx.cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', `${dir}/key.pem`, '-out', `${dir}/cert.pem`, '-days', '2', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  assert(made.status === 0, 'openssl could not make a certificate');
  const server = await ctx.server(['--set', `transport.tls.cert=${dir}/cert.pem`, '--set', `transport.tls.key=${dir}/key.pem`], 0, 'wss');
  const context = await ctx.browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 720 } });
  ctx.cleanup.push(() => context.close());
  const page = await context.newPage();
  await page.goto(`https://127.0.0.1:${server.port}/?encodings=vp8,png`);
  await waitFor(page, () => window.rdkClient?.state === 'connected' && (window.rdkClient.stats.codings.vp8 || 0) >= 5, null, 'vp8 draws over wss', 30000);
  const url = await page.evaluate(() => window.rdkClient.url);
  assert(url.startsWith('wss://'), 'the client used ' + url);
  const s = await stats(page);
  assert(s.decodeErrors === 0, 'decode errors: ' + s.decodeErrors);
  return `${url}: ${JSON.stringify(s.codings)}`;
});

test('path escapes and malformed WebSocket frames get clear refusals', async (ctx) => {
  const server = await ctx.server([]);
  const escape = await rawHttp(server.port, 'GET /../../../etc/passwd HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
  assert(escape.startsWith('HTTP/1.1 400') && /leaves the web root/.test(escape) && !/root:/.test(escape), 'path escape: ' + escape.slice(0, 200));
  const encoded = await rawHttp(server.port, 'GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
  assert(encoded.startsWith('HTTP/1.1 400'), 'encoded path escape: ' + encoded.slice(0, 100));
  const text = await rawWebSocket(server.port, maskedFrame(1, 'hello'));
  assert(text.code === 1003 && /text frames are not accepted/.test(text.reason), 'text frame: ' + JSON.stringify(text));
  const rsv = await rawWebSocket(server.port, maskedFrame(2, 'x', 4));
  assert(rsv.code === 1002 && /reserved bits/.test(rsv.reason), 'RSV frame: ' + JSON.stringify(rsv));
  const op = await rawWebSocket(server.port, maskedFrame(5, 'x'));
  assert(op.code === 1002 && /unknown opcode/.test(op.reason), 'opcode 5: ' + JSON.stringify(op));
  // A page's own headers: the strict policy of web/.rdk-csp and the usual hardening.
  const index = await rawHttp(server.port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
  for (const h of ["Content-Security-Policy: default-src 'self'; script-src 'self';", 'X-Content-Type-Options: nosniff', 'X-Frame-Options: DENY']) {
    assert(index.includes(h), 'missing header ' + h);
  }
  return `400 '${/\r\n\r\n(.*)/s.exec(escape)[1].trim()}'; close ${text.code} '${text.reason}'; close ${rsv.code} '${rsv.reason}'`;
});

/** A WAV file of |seconds| of a |hz| sine (48 kHz stereo S16, half scale). */
function toneWav(file, hz, seconds) {
  const frames = Math.round(48000 * seconds);
  const b = Buffer.alloc(44 + frames * 4);
  b.write('RIFF', 0); b.writeUInt32LE(36 + frames * 4, 4); b.write('WAVEfmt ', 8);
  b.writeUInt32LE(16, 16); b.writeUInt16LE(1, 20); b.writeUInt16LE(2, 22); b.writeUInt32LE(48000, 24);
  b.writeUInt32LE(48000 * 4, 28); b.writeUInt16LE(4, 32); b.writeUInt16LE(16, 34);
  b.write('data', 36); b.writeUInt32LE(frames * 4, 40);
  for (let i = 0; i < frames; i++) {
    const v = Math.round(16383 * Math.sin((2 * Math.PI * hz * i) / 48000));
    b.writeInt16LE(v, 44 + i * 4);
    b.writeInt16LE(v, 46 + i * 4);
  }
  fs.writeFileSync(file, b);
}

test('sound: the server\'s Opus stream decodes (WebCodecs) and plays its tone (AnalyserNode)', async (ctx) => {
  const server = await ctx.server(['--set', 'server.sound=pulse', '--set', 'server.size=640x360']);
  const pulse = /sound: capturing the session's PulseAudio server (\S+)/.exec(server.log());
  assert(pulse, 'the server has no sound (server.sound=pulse)');
  const page = await openClient(ctx, server.port, '?encodings=png');
  await waitFor(page, () => window.rdkClient?.sound?.stats.started > 0, null,
    'the sound stream (WebCodecs AudioDecoder with opus, a running AudioContext)', 20000).catch(async (e) => {
    const s = await page.evaluate(() => window.rdkClient?.sound?.stats ?? 'no SoundPlayer: this browser offered no sound');
    throw new Error(e.message + '; ' + JSON.stringify(s));
  });
  // 3 s of 660 Hz played into the session's sink, as an application there would.
  const wav = path.join(cacheDir, 'tone.wav');
  toneWav(wav, 660, 3);
  const player = spawn('paplay', [wav], { env: { ...process.env, PULSE_SERVER: pulse[1] }, stdio: 'ignore' });
  ctx.cleanup.push(() => player.kill());
  // The analyser after the player sees the tone (the peak within 1%, well above the noise floor).
  let last = null;
  await waitFor(page, () => {
    const s = window.rdkClient.sound;
    if (s.stats.decodedFrames < 48000) return false;
    window.soundPeak = s.peak();
    return Math.abs(window.soundPeak.hz - 660) <= 6.6 && window.soundPeak.db > -40;
  }, null, 'a 660 Hz peak in the played sound', 20000).catch(async (e) => {
    last = await page.evaluate(() => ({ peak: window.soundPeak, stats: window.rdkClient.sound.stats }));
    throw new Error(e.message + '; ' + JSON.stringify(last));
  });
  const { peak, stats: s } = await page.evaluate(() => ({ peak: window.soundPeak, stats: window.rdkClient.sound.stats }));
  assert(s.errors === 0, 'decoder errors: ' + s.lastError);
  assert(s.codec === 'opus', 'codec ' + s.codec);
  return `${s.packets} packets (${s.bytes} bytes), ${s.decodedFrames} frames decoded, peak ${peak.hz.toFixed(1)} Hz at ${peak.db.toFixed(1)} dB, ${s.resyncs} resyncs`;
});

// ---- runner ------------------------------------------------------------------------------------

const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_FLAGS });
let failed = 0;
const started = Date.now();
const selected = cases.filter((c) => !only || c.name.includes(only));
for (const c of selected) {
  const ctx = { browser, pages: [], servers: [], cspViolations: [], consoleErrors: [], pageErrors: [], httpErrors: [] };
  ctx.cleanup = [];
  ctx.server = async (extra, port = 0, scheme = 'ws') => {
    const s = await startServer(extra, port, scheme);
    ctx.servers.push(s);
    return s;
  };
  const t0 = Date.now();
  try {
    const detail = await c.fn(ctx);
    console.log(`PASS ${c.name} (${((Date.now() - t0) / 1000).toFixed(1)} s): ${detail || ''}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${c.name} (${((Date.now() - t0) / 1000).toFixed(1)} s): ${e.message}`);
    for (const s of ctx.servers) console.log('--- server log ---\n' + s.log().split('\n').slice(-15).join('\n'));
    if (ctx.pageErrors.length) console.log('page errors: ' + ctx.pageErrors.join('\n'));
  }
  for (const p of ctx.pages) await p.close().catch(() => {});
  for (const s of ctx.servers) await stopServer(s);
  for (const f of ctx.cleanup) await Promise.resolve().then(f).catch(() => {});
}
await browser.close();
fs.rmSync(cacheDir, { recursive: true, force: true });
console.log(`${failed ? 'FAILED' : 'OK'}: ${selected.length - failed}/${selected.length} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(failed ? 1 : 0);
