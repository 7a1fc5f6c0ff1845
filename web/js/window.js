// One remote window: a canvas positioned where the server says it is, so the page shows the
// windows seamlessly (the desktop of the synthetic platform, or X11's root in shadow mode, is one
// window covering everything). Draws paint in the order they arrived, one at a time.

import { text } from './bencode.js';
import { IMAGE_TYPES, NeedKeyframe, VideoStream, decodeImage, decodeRgb } from './decode.js';

export class RemoteWindow {
  constructor(screen, wid, x, y, w, h, metadata, overrideRedirect, videoCodecs) {
    this.wid = wid;
    this.x = x;
    this.y = y;
    this.w = Math.max(1, w);
    this.h = Math.max(1, h);
    this.overrideRedirect = overrideRedirect;
    this.metadata = {};
    this.videoCodecs = videoCodecs;
    this.video = new Map();
    this.chain = Promise.resolve();
    this.element = document.createElement('div');
    this.element.className = 'rdk-window' + (overrideRedirect ? ' rdk-popup' : '');
    this.element.dataset.wid = String(wid);
    this.canvas = document.createElement('canvas');
    this.canvas.width = this.w;
    this.canvas.height = this.h;
    this.ctx = this.canvas.getContext('2d', { alpha: false });
    this.ctx.imageSmoothingEnabled = false;
    this.element.appendChild(this.canvas);
    this.place();
    this.updateMetadata(metadata);
    screen.appendChild(this.element);
  }

  get title() {
    return text(this.metadata.title);
  }

  place() {
    this.element.style.left = this.x + 'px';
    this.element.style.top = this.y + 'px';
    this.element.style.width = this.w + 'px';
    this.element.style.height = this.h + 'px';
  }

  updateMetadata(changes) {
    Object.assign(this.metadata, changes || {});
    this.element.title = this.title;
  }

  moveResize(x, y, w, h) {
    this.x = x;
    this.y = y;
    this.resize(w, h);
  }

  resize(w, h) {
    w = Math.max(1, w);
    h = Math.max(1, h);
    if (w !== this.w || h !== this.h) {
      // Keep what is painted until the server repaints the new size.
      const old = document.createElement('canvas');
      old.width = this.w;
      old.height = this.h;
      old.getContext('2d').drawImage(this.canvas, 0, 0);
      this.canvas.width = w;
      this.canvas.height = h;
      this.ctx = this.canvas.getContext('2d', { alpha: false });
      this.ctx.imageSmoothingEnabled = false;
      this.ctx.drawImage(old, 0, 0);
      this.w = w;
      this.h = h;
    }
    this.place();
  }

  raise(z) {
    this.element.style.zIndex = String(z);
  }

  /** Runs |job| after every earlier paint of this window. */
  enqueue(job) {
    const run = this.chain.then(job);
    this.chain = run.catch(() => {});
    return run;
  }

  /** Paints one draw packet's picture; throws with the reason when it cannot. */
  async paint(coding, x, y, w, h, data, rowstride, options) {
    if (coding === 'void') return;
    if (IMAGE_TYPES[coding]) {
      const bitmap = await decodeImage(coding, data);
      try {
        this.ctx.drawImage(bitmap, x, y);
      } finally {
        bitmap.close();
      }
      return;
    }
    if (coding === 'rgb24' || coding === 'rgb32' || coding === 'rgb') {
      this.ctx.putImageData(await decodeRgb(coding, data, w, h, rowstride, options), x, y);
      return;
    }
    if (coding === 'scroll') {
      for (const [sx, sy, sw, sh, dx, dy] of data) this.ctx.drawImage(this.canvas, sx, sy, sw, sh, sx + dx, sy + dy, sw, sh);
      return;
    }
    const codec = this.videoCodecs[coding];
    if (codec) {
      let stream = this.video.get(coding);
      if (!stream) {
        stream = new VideoStream(coding, codec);
        this.video.set(coding, stream);
      }
      const frame = await stream.decode(data, options, w, h);
      try {
        this.ctx.drawImage(frame, 0, 0, frame.displayWidth, frame.displayHeight, x, y, w, h);
      } finally {
        frame.close();
      }
      return;
    }
    throw new Error('no decoder for ' + coding);
  }

  endOfStream() {
    for (const stream of this.video.values()) stream.close();
    this.video.clear();
  }

  videoErrors() {
    let n = 0;
    for (const s of this.video.values()) n += s.errors;
    return n;
  }

  destroy() {
    this.endOfStream();
    this.element.remove();
  }
}

export { NeedKeyframe };
