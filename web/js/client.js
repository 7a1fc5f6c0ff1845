// rdkernel's web client: the Xpra 3.1.3 protocol over a WebSocket (ws:// or wss://), spoken to
// rdkernel (and to any Xpra 3.1.3 server with a WebSocket port). One canvas per remote window,
// keyboard, pointer and wheel input, an acknowledgement for every draw, a status overlay and
// reconnection after a drop.

import { text } from './bencode.js';
import { DIGESTS, challengeResponse, clientSalt } from './auth.js';
import { keysymOf, modifiersOf } from './keyboard.js';
import { NeedKeyframe, probeVideoCodecs, probeWebp } from './decode.js';
import { Protocol } from './protocol.js';
import { RemoteWindow } from './window.js';
import { SoundPlayer, probeSound } from './sound.js';

const VERSION = '3.1.3';
const RECONNECT_MAX_MS = 10000;
const PING_INTERVAL_MS = 5000;

function percentile(values, p) {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export class Client {
  /**
   * @param {object} o url, password (may be empty: asked for), username, encodings (null: all),
   *   screen (element for the windows), ui ({message(text, kind), askPassword(prompt), status(s)}),
   *   reconnect (default true), sound (default true: play the server's sound where this browser can)
   */
  constructor(o) {
    this.url = o.url;
    this.password = o.password || '';
    this.username = o.username || '';
    this.wantedEncodings = o.encodings || null;
    this.screen = o.screen;
    this.ui = o.ui;
    this.reconnect = o.reconnect !== false;
    this.soundWanted = o.sound !== false;
    this.sound = null;  // a SoundPlayer where this browser decodes Opus
    this.windows = new Map();
    this.z = 1;
    this.focused = 0;
    this.protocol = null;
    this.state = 'idle';
    this.error = '';
    this.authFailed = false;
    this.reconnectDelay = 1000;
    this.reconnects = 0;
    // Capture-to-paint latency: the server stamps draws with its monotonic clock and sends
    // (monotonic ms, wall-clock ms) pairs in its pings. With both ends on one wall clock (one host,
    // or NTP) the latency is exact to a millisecond; without a wall clock in the ping, the
    // smallest (browser - server) offset seen stands in (it hides the one-way delay).
    this.serverWallOffset = null;  // server wall ms - server monotonic ms
    this.clockOffset = null;       // browser ms - server monotonic ms, smallest seen
    this.scale = 1;
    this.desktop = [0, 0];
    this.pointer = null;
    this.stats = {
      connected: false, connects: 0, draws: 0, drawErrors: 0, decodeErrors: 0, waits: 0,
      codings: {}, bytesIn: 0, latencies: [], rtts: [], paintTimes: [], lastDisconnect: '',
      paintLog: [],  // [wall-clock ms, capture-to-paint ms or null] per painted draw (benchmarks)
      encodings: [],
    };
  }

  async start() {
    this.videoCodecs = await probeVideoCodecs();
    this.webp = await probeWebp();
    if (this.soundWanted && (await probeSound())) this.sound = new SoundPlayer((p) => this.send(p));
    this.installInput();
    setInterval(() => this.ui.status?.(this.statusLine()), 500);
    this.connect();
  }

  /** What this client decodes, narrowed by the ?encodings= choice. */
  encodings() {
    let all = ['rgb24', 'rgb32', 'png', 'png/P', 'png/L', 'jpeg'];
    if (this.webp) all.push('webp');
    all = all.concat(Object.keys(this.videoCodecs));
    if (!this.wantedEncodings) return all;
    const wanted = new Set(this.wantedEncodings.flatMap((e) => (e === 'rgb' ? ['rgb24', 'rgb32'] : [e])));
    return all.filter((e) => wanted.has(e));
  }

  connect() {
    if (this.protocol) this.bytesBefore = (this.bytesBefore || 0) + this.protocol.bytesIn;
    this.state = 'connecting';
    this.ui.message?.('connecting to ' + this.url + ' ...', 'info');
    this.protocol = new Protocol(this.url, {
      onOpen: () => this.sendHello(),
      onPacket: (p) => this.onPacket(p),
      onClose: (code, reason) => this.onClose(code, reason),
      onProtocolError: (why) => { this.error = why; },
    });
  }

  send(packet) {
    return this.protocol?.send(packet);
  }

  hello(extra) {
    const encodings = this.encodings();
    this.stats.encodings = encodings;
    const video = Object.keys(this.videoCodecs).filter((e) => encodings.includes(e));
    const csc = {};
    for (const v of video) csc[v] = ['YUV420P'];
    const caps = {
      version: VERSION,
      client_type: 'rdkernel-web',
      'rdkernel-web.version': '0.1.0',
      platform: navigator.platform || 'browser',
      hostname: location.hostname,
      username: this.username,
      uuid: clientSalt(),
      bencode: true,
      rencode: false,
      'packet-encoders': ['bencode'],
      compression_level: 1,
      compressors: ['lz4', 'zlib'],
      lz4: true,
      zlib: true,
      brotli: false,
      'websocket.multi-packet': true,
      digest: DIGESTS,
      'salt-digest': DIGESTS,
      windows: true,
      encodings,
      'encodings.core': encodings,
      'encodings.cursor': ['raw'],
      encoding: 'auto',
      'encoding.rgb_formats': ['BGRX', 'BGRA', 'RGBX', 'RGBA', 'RGB'],
      'encoding.rgb_lz4': true,
      'encoding.rgb_zlib': true,
      'encoding.transparency': false,
      'encoding.full_csc_modes': csc,
      'encoding.csc_modes': video.length ? ['YUV420P'] : [],
      'encoding.video_scaling': false,
      'encoding.min-quality': 30,
      'encoding.min-speed': 30,
      auto_refresh_delay: 150,
      desktop_size: [Math.max(320, innerWidth), Math.max(240, innerHeight)],
      keyboard: true,
      cursors: true,
      bell: false,
      system_tray: false,
      'notify-startup-complete': true,
      'server-window-resize': true,
      'server-window-move-resize': true,
      'window.raise': true,
      'sound.receive': !!this.sound,
      'sound.send': false,
      'sound.decoders': this.sound ? ['opus'] : [],
      share: false,
      steal: true,
      'rdk.capture-timestamps': true,
    };
    return Object.assign(caps, extra || {});
  }

  sendHello(extra) {
    this.send(['hello', this.hello(extra)]);
  }

  onPacket(p) {
    const handler = this.handlers[p[0]];
    if (handler) return handler.call(this, p, performance.now());
    return undefined;
  }

  // ---- connection ------------------------------------------------------------------------------

  onClose(code, reason) {
    const wasConnected = this.state === 'connected';
    this.state = 'closed';
    this.stats.connected = false;
    clearInterval(this.pingTimer);
    this.clearWindows();
    this.sound?.disconnected();
    if (this.authFailed) {
      const why = this.stats.lastDisconnect || 'wrong password';
      this.ui.message?.(/authentication failed/.test(why) ? why : 'authentication failed: ' + why, 'error');
      return;
    }
    if (!this.reconnect || this.stopped) {
      this.ui.message?.('disconnected: ' + (this.stats.lastDisconnect || reason || 'code ' + code), 'error');
      return;
    }
    const why = this.stats.lastDisconnect || this.error || reason || (wasConnected ? 'connection lost' : 'cannot connect');
    if (wasConnected) this.reconnectDelay = 1000;
    const delay = this.reconnectDelay;
    this.reconnectDelay = Math.min(RECONNECT_MAX_MS, this.reconnectDelay * 2);
    this.ui.message?.(`${why} (code ${code}); reconnecting in ${Math.round(delay / 1000)} s ...`, 'warning');
    this.reconnectTimer = setTimeout(() => {
      this.reconnects++;
      this.stats.lastDisconnect = '';
      this.error = '';
      this.connect();
    }, delay);
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    this.protocol?.close('client stopped');
  }

  clearWindows() {
    for (const w of this.windows.values()) w.destroy();
    this.windows.clear();
    this.focused = 0;
  }

  // ---- helpers ---------------------------------------------------------------------------------

  setDesktopSize(w, h) {
    this.desktop = [w, h];
    this.screen.style.width = w + 'px';
    this.screen.style.height = h + 'px';
    this.fit();
  }

  fit() {
    const [w, h] = this.desktop;
    this.scale = w && h ? Math.min(1, innerWidth / w, innerHeight / h) : 1;
    this.screen.style.transform = this.scale < 1 ? `scale(${this.scale})` : '';
  }

  addWindow(p, overrideRedirect) {
    const [, wid, x, y, w, h, metadata] = p;
    this.windows.get(wid)?.destroy();
    const win = new RemoteWindow(this.screen, wid, x, y, w, h, metadata, overrideRedirect, this.videoCodecs);
    win.raise(overrideRedirect ? 100000 + this.z++ : this.z++);
    this.windows.set(wid, win);
    if (!overrideRedirect) {
      this.send(['map-window', wid, x, y, w, h, {}]);
      if (!this.focused || (w < this.desktop[0] || h < this.desktop[1])) this.focus(wid);
    }
  }

  focus(wid) {
    if (wid === this.focused) return;
    this.focused = wid;
    this.send(['focus', wid, []]);
  }

  statusLine() {
    const s = this.stats;
    const now = performance.now();
    s.paintTimes = s.paintTimes.filter((t) => now - t < 1000);
    const lat = s.latencies.slice(-200);
    const p50 = percentile(lat, 50);
    const p99 = percentile(lat, 99);
    const rtt = percentile(s.rtts.slice(-5), 50);
    s.bytesIn = this.protocol ? this.protocol.bytesIn + (this.bytesBefore || 0) : s.bytesIn;
    const bytes = s.bytesIn - (this.lastBytes || 0);
    const dt = (now - (this.lastBytesAt || now)) / 1000;
    this.lastBytes = s.bytesIn;
    this.lastBytesAt = now;
    const mbps = dt > 0 ? (bytes * 8) / dt / 1e6 : 0;
    this.rate = mbps;
    const codings = Object.entries(s.codings).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([c, n]) => `${c} ${n}`).join(', ');
    return {
      state: this.state,
      fps: s.paintTimes.length,
      p50, p99, rtt, mbps,
      text: `${this.state} · ${s.paintTimes.length} fps · latency ${p50 === null ? '-' : p50.toFixed(1)}/${p99 === null ? '-' : p99.toFixed(1)} ms (p50/p99) · rtt ${rtt === null ? '-' : rtt.toFixed(1)} ms · ${mbps.toFixed(2)} Mbit/s · ${codings}${s.decodeErrors ? ' · ' + s.decodeErrors + ' decode errors' : ''}`,
    };
  }

  /** Root coordinates of a pointer event. */
  rootPosition(e) {
    const r = this.screen.getBoundingClientRect();
    return [Math.round((e.clientX - r.left) / this.scale), Math.round((e.clientY - r.top) / this.scale)];
  }

  windowAt(e) {
    const el = e.target?.closest?.('.rdk-window');
    return el ? Number(el.dataset.wid) : this.focused;
  }

  installInput() {
    addEventListener('resize', () => this.fit());
    const active = () => this.state === 'connected' && !this.ui.busy?.();
    addEventListener('keydown', (e) => {
      if (!active()) return;
      const k = keysymOf(e);
      if (!k) return;
      e.preventDefault();
      this.sendKey(k, true, e);
    });
    addEventListener('keyup', (e) => {
      if (!active()) return;
      const k = keysymOf(e);
      if (!k) return;
      e.preventDefault();
      this.sendKey(k, false, e);
    });
    this.screen.addEventListener('mousemove', (e) => {
      if (!active()) return;
      const wid = this.windowAt(e);
      const first = this.pointer === null;
      this.pointer = { wid, pos: this.rootPosition(e), mods: modifiersOf(e) };
      if (first) requestAnimationFrame(() => this.flushPointer());
    });
    this.screen.addEventListener('mousedown', (e) => this.sendButton(e, true));
    this.screen.addEventListener('mouseup', (e) => this.sendButton(e, false));
    this.screen.addEventListener('contextmenu', (e) => e.preventDefault());
    let wheelX = 0;
    let wheelY = 0;
    this.screen.addEventListener('wheel', (e) => {
      if (!active()) return;
      e.preventDefault();
      const unit = e.deltaMode === 1 ? 40 : e.deltaMode === 2 ? 800 : 1;
      wheelX += e.deltaX * unit;
      wheelY += e.deltaY * unit;
      const wid = this.windowAt(e);
      const pos = this.rootPosition(e);
      const click = (button) => {
        this.send(['button-action', wid, button, true, pos, modifiersOf(e), []]);
        this.send(['button-action', wid, button, false, pos, modifiersOf(e), []]);
      };
      // Xpra's wheel: one click of button 4/5 (vertical) or 6/7 (horizontal) per step.
      while (wheelY <= -100) { click(4); wheelY += 100; }
      while (wheelY >= 100) { click(5); wheelY -= 100; }
      while (wheelX <= -100) { click(6); wheelX += 100; }
      while (wheelX >= 100) { click(7); wheelX -= 100; }
    }, { passive: false });
  }

  flushPointer() {
    const p = this.pointer;
    this.pointer = null;
    if (p && this.state === 'connected') this.send(['pointer-position', p.wid, p.pos, p.mods, []]);
  }

  sendButton(e, pressed) {
    if (this.state !== 'connected' || this.ui.busy?.()) return;
    e.preventDefault();
    const wid = this.windowAt(e);
    if (pressed && wid) {
      const win = this.windows.get(wid);
      if (win && !win.overrideRedirect) {
        win.raise(this.z++);
        this.focus(wid);
      }
    }
    const button = [1, 2, 3, 8, 9][e.button] || 1;
    this.send(['button-action', wid, button, pressed, this.rootPosition(e), modifiersOf(e), []]);
  }

  sendKey(k, pressed, e) {
    const wid = this.focused || [...this.windows.keys()][0] || 0;
    this.send(['key-action', wid, k.name, pressed, modifiersOf(e), k.keyval, k.string, 0, 0]);
  }

  ack(seq, wid, w, h, decodeUs, message) {
    this.send(['damage-sequence', seq, wid, w, h, decodeUs, message]);
  }

  sendPing() {
    this.send(['ping', Math.round(performance.now())]);
  }
}

Client.prototype.handlers = {
  challenge(p) {
    const [, serverSalt, , digestRaw, saltDigestRaw, promptRaw] = p;
    const digest = text(digestRaw);
    const saltDigest = text(saltDigestRaw) || 'xor';
    const answer = async () => {
      let password = this.password;
      if (!password) {
        password = await this.ui.askPassword?.(text(promptRaw) || 'password');
        if (!password) {
          this.stats.lastDisconnect = 'no password given';
          this.authFailed = true;
          this.protocol.close('no password');
          return;
        }
        this.password = password;
      }
      try {
        const salt = clientSalt();
        const response = await challengeResponse(digest, saltDigest, serverSalt, password, salt);
        this.sendHello({ challenge_response: response, challenge_client_salt: salt });
      } catch (e) {
        this.stats.lastDisconnect = e.message;
        this.authFailed = true;
        this.protocol.close(e.message);
      }
    };
    return answer();
  },

  hello(p) {
    const caps = p[1] || {};
    this.serverCaps = caps;
    this.state = 'connected';
    this.stats.connected = true;
    this.stats.connects++;
    this.reconnectDelay = 1000;
    this.authFailed = false;
    const size = caps.actual_desktop_size || caps.desktop_size || caps.root_window_size;
    if (Array.isArray(size)) this.setDesktopSize(size[0], size[1]);
    this.ui.message?.('', 'none');
    this.sendPing();
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => this.sendPing(), PING_INTERVAL_MS);
    const encoders = Array.isArray(caps['sound.encoders']) ? caps['sound.encoders'].map(text) : [];
    this.sound?.connected(!!caps['sound.send'] && encoders.includes('opus'));
  },

  'startup-complete'() {},

  disconnect(p) {
    const reason = text(p[1]);
    const detail = p.slice(2).map(text).filter(Boolean).join(': ');
    this.stats.lastDisconnect = detail ? `${reason}: ${detail}` : reason;
    if (/auth|password/i.test(this.stats.lastDisconnect)) this.authFailed = true;
  },

  ping(p) {
    const serverMs = Number(p[1]);
    const now = performance.now();
    const offset = now - serverMs;
    if (this.clockOffset === null || offset < this.clockOffset) this.clockOffset = offset;
    // The server may stamp a ping with a loop time older than its wall clock reading, never a
    // newer one: the smallest offset is the truest.
    if (typeof p[2] === 'number' && p[2] > 1e12) {
      const wall = p[2] - serverMs;
      if (this.serverWallOffset === null || wall < this.serverWallOffset) this.serverWallOffset = wall;
    }
    this.send(['ping_echo', p[1], 0, 0, 0, -1]);
  },

  ping_echo(p) {
    this.stats.rtts.push(performance.now() - Number(p[1]));
    if (this.stats.rtts.length > 100) this.stats.rtts.shift();
  },

  'new-window'(p) { this.addWindow(p, false); },
  'new-override-redirect'(p) { this.addWindow(p, true); },
  'new-tray'() {},

  'lost-window'(p) {
    const win = this.windows.get(p[1]);
    if (!win) return;
    win.destroy();
    this.windows.delete(p[1]);
    if (this.focused === p[1]) this.focused = 0;
  },

  'raise-window'(p) { this.windows.get(p[1])?.raise(this.z++); },
  'window-metadata'(p) { this.windows.get(p[1])?.updateMetadata(p[2]); },
  'window-move-resize'(p) { this.windows.get(p[1])?.moveResize(p[2], p[3], p[4], p[5]); },
  'window-resized'(p) { this.windows.get(p[1])?.resize(p[2], p[3]); },
  'configure-override-redirect'(p) { this.windows.get(p[1])?.moveResize(p[2], p[3], p[4], p[5]); },
  desktop_size(p) { this.setDesktopSize(p[1], p[2]); },
  eos(p) { this.windows.get(p[1])?.endOfStream(); },

  cursor(p) {
    if (p.length < 10 || text(p[1]) !== 'raw') {
      this.screen.style.cursor = '';
      return;
    }
    const [, , , , w, h, xhot, yhot, , pixels] = p;
    if (!w || !h || w > 256 || h > 256 || !(pixels instanceof Uint8Array) || pixels.length < w * h * 4) return;
    const canvas = document.createElement('canvas');
    canvas.width = w;
    canvas.height = h;
    const image = new ImageData(w, h);
    for (let i = 0; i < w * h * 4; i += 4) {  // BGRA -> RGBA
      image.data[i] = pixels[i + 2];
      image.data[i + 1] = pixels[i + 1];
      image.data[i + 2] = pixels[i];
      image.data[i + 3] = pixels[i + 3];
    }
    canvas.getContext('2d').putImageData(image, 0, 0);
    this.screen.style.cursor = `url(${canvas.toDataURL()}) ${xhot} ${yhot}, default`;
  },

  draw(p, received) {
    const [, wid, x, y, w, h, codingRaw, data, seq, rowstride, options = {}] = p;
    const coding = text(codingRaw);
    const win = this.windows.get(wid);
    if (!win) {
      this.ack(seq, wid, w, h, 0, '');
      return;
    }
    win.enqueue(async () => {
      let message = '';
      try {
        await win.paint(coding, x, y, w, h, data, rowstride, options);
      } catch (e) {
        message = e.message || String(e);
        if (e instanceof NeedKeyframe) this.stats.waits++;
        else this.stats.decodeErrors++;
      }
      const now = performance.now();
      if (message) {
        this.stats.drawErrors++;
        this.ack(seq, wid, w, h, -1, message);
        return;
      }
      this.ack(seq, wid, w, h, Math.max(1, Math.round((now - received) * 1000)), '');
      this.stats.draws++;
      this.stats.codings[coding] = (this.stats.codings[coding] || 0) + 1;
      this.stats.paintTimes.push(now);
      const captured = options['rdk.capture-us'];
      let latency = null;
      if (typeof captured === 'number' && this.serverWallOffset !== null) {
        latency = performance.timeOrigin + now - (captured / 1000 + this.serverWallOffset);
      } else if (typeof captured === 'number' && this.clockOffset !== null) {
        latency = now - (captured / 1000 + this.clockOffset);
      }
      if (latency !== null) {
        this.stats.latencies.push(Math.max(0, latency));
        if (this.stats.latencies.length > 2000) this.stats.latencies.splice(0, 1000);
      }
      this.stats.paintLog.push([performance.timeOrigin + now, latency]);
      if (this.stats.paintLog.length > 20000) this.stats.paintLog.splice(0, 10000);
    });
  },

  'sound-data'(p) { this.sound?.onData(p); },
  bell() {},
  set_deflate() {},
  'info-response'() {},
  'setting-change'() {},
  notify_show() {},
  notify_close() {},
};
