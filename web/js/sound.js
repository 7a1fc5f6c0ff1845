// Speaker forwarding in the browser: the server's Opus frames (Xpra 3.1.3's sound-data, codec
// "opus": one raw Opus packet of 20 ms per packet) decoded with WebCodecs' AudioDecoder and played
// through Web Audio at a small fixed delay behind their arrival. The client offers sound only
// where this works (AudioDecoder decodes Opus, Web Audio exists) and asks the server for the
// stream (sound-control start) only once its AudioContext runs: where the browser blocks
// autoplay, after the first click or key press on the page, so no frame is sent for nothing.

import { text } from './bencode.js';

const CONFIG = { codec: 'opus', sampleRate: 48000, numberOfChannels: 2 };
// Playout this long after the first frame arrives: a WebSocket delivers in order without loss,
// the delay only absorbs the page's own stalls (decode, a busy main thread).
const TARGET_S = 0.08;
// A schedule further ahead than this (the server's clock runs faster than ours, or a burst after
// a stall) starts again at TARGET_S, so the delay cannot grow without bound.
const MAX_AHEAD_S = TARGET_S + 0.25;
const FRAME_US = 20000;

/** True when this browser decodes Opus with WebCodecs and plays with Web Audio. */
export async function probeSound() {
  if (typeof AudioDecoder === 'undefined' || typeof AudioContext === 'undefined') return false;
  try {
    return (await AudioDecoder.isConfigSupported(CONFIG)).supported === true;
  } catch {
    return false;
  }
}

export class SoundPlayer {
  /** @param {function(Array)} send  sends a packet to the server */
  constructor(send) {
    this.send = send;
    this.context = new AudioContext({ sampleRate: 48000, latencyHint: 'interactive' });
    this.output = this.context.createGain();
    // The analyser sees everything played (tests and a level meter read it).
    this.analyser = this.context.createAnalyser();
    this.analyser.fftSize = 32768;
    this.analyser.smoothingTimeConstant = 0;
    this.output.connect(this.analyser);
    this.analyser.connect(this.context.destination);
    this.decoder = null;
    this.next = 0;
    this.wanted = false;  // the server sends opus and we are connected
    this.asked = false;   // sound-control start sent on this connection
    this.stats = {
      codec: '', started: 0, ended: 0, packets: 0, bytes: 0, decodedFrames: 0, scheduled: 0,
      resyncs: 0, dropped: 0, errors: 0, lastError: '', state: this.context.state,
    };
    this.context.addEventListener('statechange', () => {
      this.stats.state = this.context.state;
      this.maybeStart();
    });
    // Autoplay: a suspended context resumes inside a user gesture.
    const resume = () => {
      if (this.context.state === 'suspended') this.context.resume().catch(() => {});
    };
    for (const type of ['pointerdown', 'keydown']) addEventListener(type, resume, { capture: true });
  }

  /** A new connection: |serverSends| when its hello offers an opus stream. */
  connected(serverSends) {
    this.wanted = serverSends;
    this.asked = false;
    this.resetDecoder();
    this.maybeStart();
  }

  disconnected() {
    this.wanted = false;
    this.asked = false;
  }

  maybeStart() {
    if (!this.wanted || this.asked || this.context.state !== 'running') return;
    this.asked = true;
    this.send(['sound-control', 'start', 'opus']);
  }

  resetDecoder() {
    if (this.decoder && this.decoder.state !== 'closed') this.decoder.close();
    this.decoder = null;
    this.next = 0;
  }

  makeDecoder() {
    const decoder = new AudioDecoder({
      output: (data) => this.play(data),
      error: (e) => {
        this.stats.errors++;
        this.stats.lastError = e.message || String(e);
      },
    });
    decoder.configure(CONFIG);
    return decoder;
  }

  /** ['sound-data', codec, data, metadata, packet-metadata] */
  onData(p) {
    const codec = text(p[1]);
    const data = p[2];
    const metadata = p[3] || {};
    if (metadata['start-of-stream']) {
      this.stats.started++;
      this.stats.codec = text(metadata.codec) || codec;
      this.resetDecoder();
      return;
    }
    if (metadata['end-of-stream']) {
      this.stats.ended++;
      this.resetDecoder();
      return;
    }
    if (codec !== 'opus' || !(data instanceof Uint8Array) || !data.length) return;
    this.stats.packets++;
    this.stats.bytes += data.length;
    if (!this.decoder || this.decoder.state === 'closed') this.decoder = this.makeDecoder();
    // A decoder that falls behind (a hidden tab) drops rather than queues without bound.
    if (this.decoder.decodeQueueSize > 50) {
      this.stats.dropped++;
      return;
    }
    const ns = Number(metadata.timestamp);
    const timestamp = Number.isFinite(ns) ? Math.round(ns / 1000) : this.stats.packets * FRAME_US;
    try {
      this.decoder.decode(new EncodedAudioChunk({ type: 'key', timestamp, data }));
    } catch (e) {
      this.stats.errors++;
      this.stats.lastError = e.message || String(e);
    }
  }

  /** One decoded frame (AudioData) onto the Web Audio clock, right after the previous one. */
  play(data) {
    try {
      const frames = data.numberOfFrames;
      const channels = data.numberOfChannels;
      this.stats.decodedFrames += frames;
      const buffer = this.context.createBuffer(channels, frames, data.sampleRate);
      for (let c = 0; c < channels; c++) {
        data.copyTo(buffer.getChannelData(c), { planeIndex: c, format: 'f32-planar' });
      }
      const now = this.context.currentTime;
      if (this.next < now + 0.005 || this.next > now + MAX_AHEAD_S) {
        if (this.next) this.stats.resyncs++;
        this.next = now + TARGET_S;
      }
      const source = this.context.createBufferSource();
      source.buffer = buffer;
      source.connect(this.output);
      source.start(this.next);
      this.next += buffer.duration;
      this.stats.scheduled++;
    } finally {
      data.close();
    }
  }

  /** The loudest frequency the analyser sees now, in Hz (interpolated between bins), and its
   *  level in dBFS. */
  peak() {
    const bins = new Float32Array(this.analyser.frequencyBinCount);
    this.analyser.getFloatFrequencyData(bins);
    let best = 1;
    for (let i = 2; i < bins.length - 1; i++) if (bins[i] > bins[best]) best = i;
    const [a, b, c] = [bins[best - 1], bins[best], bins[best + 1]];
    const denominator = a - 2 * b + c;
    const offset = Number.isFinite(denominator) && denominator !== 0 ? (0.5 * (a - c)) / denominator : 0;
    return { hz: ((best + offset) * this.context.sampleRate) / this.analyser.fftSize, db: b };
  }
}
