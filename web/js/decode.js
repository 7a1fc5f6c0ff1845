// Picture decoding for draw packets: jpeg/png/webp with createImageBitmap, rgb24/rgb32 (plain,
// lz4 or zlib) into ImageData, vp8/vp9/h264 with WebCodecs VideoDecoder.

import { text } from './bencode.js';
import { lz4Decompress, zlibDecompress } from './lz4.js';

export const IMAGE_TYPES = {
  png: 'image/png', 'png/P': 'image/png', 'png/L': 'image/png', jpeg: 'image/jpeg', webp: 'image/webp',
};

const VIDEO_CODECS = {
  vp8: ['vp8'],
  vp9: ['vp09.00.10.08', 'vp09.00.41.08'],
  h264: ['avc1.42E01F', 'avc1.640028', 'avc1.42001E'],
};

/** Waiting for a key frame (after a start, an error or a gap): the server is told to send one. */
export class NeedKeyframe extends Error {}

/** Which video encodings this browser decodes: {coding: codecString}. */
export async function probeVideoCodecs() {
  const found = {};
  if (typeof VideoDecoder === 'undefined') return found;  // no WebCodecs (insecure context?)
  for (const [coding, codecs] of Object.entries(VIDEO_CODECS)) {
    for (const codec of codecs) {
      try {
        const r = await VideoDecoder.isConfigSupported({ codec, optimizeForLatency: true, codedWidth: 640, codedHeight: 480 });
        if (r.supported) {
          found[coding] = codec;
          break;
        }
      } catch (e) {
        // not supported
      }
    }
  }
  return found;
}

/** Does webp decode here? (Chromium: yes.) */
export async function probeWebp() {
  const tiny = Uint8Array.from(atob('UklGRiIAAABXRUJQVlA4IBYAAAAwAQCdASoBAAEADsD+JaQAA3AAAAAA'), (c) => c.charCodeAt(0));
  try {
    const bitmap = await createImageBitmap(new Blob([tiny], { type: 'image/webp' }));
    bitmap.close();
    return true;
  } catch (e) {
    return false;
  }
}

export async function decodeImage(coding, data) {
  return createImageBitmap(new Blob([data], { type: IMAGE_TYPES[coding] }), {
    premultiplyAlpha: 'none', colorSpaceConversion: 'none',
  });
}

/** rgb24/rgb32 pixels (maybe lz4/zlib compressed) as ImageData (opaque). */
export async function decodeRgb(coding, data, w, h, rowstride, options) {
  let pixels = data;
  if (Number(options.lz4 || 0) > 0) pixels = lz4Decompress(data);
  else if (Number(options.zlib || 0) > 0) pixels = await zlibDecompress(data);
  const format = text(options.rgb_format) || (coding === 'rgb24' ? 'RGB' : 'BGRX');
  const bpp = format.length;
  if (bpp !== 3 && bpp !== 4) throw new Error('unsupported rgb_format ' + format);
  const stride = rowstride > 0 ? rowstride : w * bpp;
  if (pixels.length < stride * (h - 1) + w * bpp) throw new Error(`rgb data too short: ${pixels.length} bytes for ${w}x${h}`);
  const image = new ImageData(w, h);
  const out = image.data;
  if (format === 'BGRX' || format === 'BGRA') {
    const aligned = pixels.byteOffset % 4 === 0 && stride % 4 === 0
      ? pixels : new Uint8Array(pixels);  // Uint32Array views need 4-byte alignment
    const src = new Uint32Array(aligned.buffer, aligned.byteOffset, Math.floor(aligned.length / 4));
    const dst = new Uint32Array(out.buffer);
    const words = stride / 4;
    for (let y = 0; y < h; y++) {
      let s = y * words;
      let d = y * w;
      for (let x = 0; x < w; x++) {
        const v = src[s++];  // little endian: X R G B from the top byte down
        dst[d++] = 0xff000000 | ((v & 0xff) << 16) | (v & 0xff00) | ((v >>> 16) & 0xff);
      }
    }
    return image;
  }
  const r = format.indexOf('R'), g = format.indexOf('G'), b = format.indexOf('B');
  if (r < 0 || g < 0 || b < 0) throw new Error('unsupported rgb_format ' + format);
  for (let y = 0; y < h; y++) {
    let s = y * stride;
    let d = y * w * 4;
    for (let x = 0; x < w; x++, s += bpp) {
      out[d++] = pixels[s + r];
      out[d++] = pixels[s + g];
      out[d++] = pixels[s + b];
      out[d++] = 255;
    }
  }
  return image;
}

function vp9IsKey(data) {
  if (data.length < 2) return false;
  let bit = 0;
  const read = () => (data[bit >> 3] >> (7 - (bit++ & 7))) & 1;
  if (read() !== 1 || read() !== 0) return false;  // frame marker
  const profile = read() | (read() << 1);
  if (profile === 3) read();
  if (read()) return false;  // show_existing_frame
  return read() === 0;       // frame_type 0: key frame
}

/** Is this draw a key frame? The server marks them (rdk.keyframe, frame 0, h264 type IDR); the
 *  VP8/VP9 frame header says so too. */
export function isKeyframe(coding, data, options) {
  if (options['rdk.keyframe']) return true;
  if (options.frame === 0) return true;
  if (coding === 'h264') return text(options.type) === 'IDR';
  if (coding === 'vp8') return data.length > 0 && (data[0] & 1) === 0;
  if (coding === 'vp9') return vp9IsKey(data);
  return false;
}

/** One WebCodecs decoder for one window and video encoding. Frames come out in decode order. */
export class VideoStream {
  constructor(coding, codec) {
    this.coding = coding;
    this.codec = codec;
    this.decoder = null;
    this.pending = [];
    this.lastFrame = null;
    this.timestamp = 0;
    this.errors = 0;
    this.width = 0;
    this.height = 0;
  }

  reset(why) {
    for (const p of this.pending.splice(0)) p.reject(new Error(why));
    if (this.decoder && this.decoder.state !== 'closed') {
      try {
        this.decoder.close();
      } catch (e) {
        // already closed
      }
    }
    this.decoder = null;
    this.lastFrame = null;
  }

  create(w, h) {
    this.decoder = new VideoDecoder({
      output: (frame) => {
        const p = this.pending.shift();
        if (p) p.resolve(frame);
        else frame.close();
      },
      error: (e) => {
        this.errors++;
        this.reset('video decode error: ' + (e.message || e));
      },
    });
    this.decoder.configure({ codec: this.codec, optimizeForLatency: true, codedWidth: w, codedHeight: h });
    this.width = w;
    this.height = h;
  }

  /** Decodes one draw; resolves with a VideoFrame the caller draws and closes. */
  decode(data, options, w, h) {
    const key = isKeyframe(this.coding, data, options);
    const frame = typeof options.frame === 'number' ? options.frame : null;
    if (this.decoder && (w !== this.width || h !== this.height)) this.reset('size changed');
    if (!this.decoder) {
      if (!key) throw new NeedKeyframe('waiting for a key frame');
      this.create(w, h);
    } else if (!key && frame !== null && this.lastFrame !== null && frame !== this.lastFrame + 1) {
      this.reset('video frame gap');
      throw new NeedKeyframe('video frame gap');
    }
    this.lastFrame = frame;
    const promise = new Promise((resolve, reject) => {
      const entry = { resolve, reject };
      this.pending.push(entry);
      setTimeout(() => {
        const i = this.pending.indexOf(entry);
        if (i >= 0) {
          this.errors++;
          this.reset('the video decoder gave no picture within 3 s');
        }
      }, 3000);
    });
    this.decoder.decode(new EncodedVideoChunk({ type: key ? 'key' : 'delta', timestamp: (this.timestamp++) * 33333, data }));
    return promise;
  }

  close() {
    this.reset('closed');
  }
}
