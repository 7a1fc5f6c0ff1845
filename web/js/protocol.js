// Xpra packets over a WebSocket: every binary message carries Xpra records (an 8-byte header:
// 'P', protocol flags, compression, chunk index, payload size big-endian; then the payload),
// exactly as over TCP, so records may span messages. Raw chunks (index > 0) replace the
// matching item of the main packet (index 0) that follows them.

import { bdecode, bencode, text } from './bencode.js';
import { lz4Decompress, zlibDecompress } from './lz4.js';

const HEADER = 8;
const MAX_PAYLOAD = 256 * 1024 * 1024;

export class ProtocolError extends Error {}

export class Protocol {
  /**
   * @param {string} url ws:// or wss:// URL
   * @param {object} handlers onOpen(), onPacket(packet, bytes), onClose(code, reason, wasOpen)
   */
  constructor(url, handlers) {
    this.handlers = handlers;
    this.queue = [];        // received ArrayBuffers not yet parsed (as Uint8Array)
    this.queued = 0;        // bytes in queue
    this.chunks = new Map();
    this.busy = false;
    this.closed = false;
    this.bytesIn = 0;
    this.bytesOut = 0;
    this.ws = new WebSocket(url, 'binary');
    this.ws.binaryType = 'arraybuffer';
    this.ws.onopen = () => handlers.onOpen();
    this.ws.onclose = (e) => this.finish(e.code, e.reason);
    this.ws.onerror = () => {};  // onclose follows with the code
    this.ws.onmessage = (e) => {
      if (this.closed) return;
      const data = new Uint8Array(e.data);
      this.bytesIn += data.length;
      this.queue.push(data);
      this.queued += data.length;
      this.pump();
    };
  }

  finish(code, reason) {
    if (this.closed) return;
    this.closed = true;
    this.handlers.onClose(code, reason);
  }

  close(reason = 'client closed') {
    if (this.ws.readyState <= WebSocket.OPEN) this.ws.close(1000, reason.slice(0, 120));
    this.finish(1000, reason);
  }

  /** Sends one packet (a list), bencoded, uncompressed. */
  send(packet) {
    if (this.closed || this.ws.readyState !== WebSocket.OPEN) return false;
    const payload = bencode(packet);
    const message = new Uint8Array(HEADER + payload.length);
    message[0] = 0x50;  // 'P'
    message[1] = 0;     // bencode
    message[2] = 0;     // not compressed
    message[3] = 0;     // main packet
    new DataView(message.buffer).setUint32(4, payload.length, false);
    message.set(payload, HEADER);
    this.ws.send(message);
    this.bytesOut += message.length;
    return true;
  }

  /** The first |n| queued bytes, removed from the queue. */
  take(n) {
    const out = new Uint8Array(n);
    let offset = 0;
    while (offset < n) {
      const head = this.queue[0];
      const want = n - offset;
      if (head.length <= want) {
        out.set(head, offset);
        offset += head.length;
        this.queue.shift();
      } else {
        out.set(head.subarray(0, want), offset);
        this.queue[0] = head.subarray(want);
        offset += want;
      }
    }
    this.queued -= n;
    return out;
  }

  peekHeader() {
    const header = this.queue[0].length >= HEADER ? this.queue[0] : this.take(HEADER);
    if (header.length === HEADER && header !== this.queue[0]) {
      this.queue.unshift(header);  // put the joined header back
      this.queued += HEADER;
    }
    return header.subarray(0, HEADER);
  }

  /** Parses every complete record, one at a time (decompression may be asynchronous). */
  async pump() {
    if (this.busy) return;
    this.busy = true;
    try {
      while (!this.closed && this.queued >= HEADER) {
        const h = this.peekHeader();
        if (h[0] !== 0x50) throw new ProtocolError('not an Xpra record (first byte 0x' + h[0].toString(16) + ')');
        const flags = h[1];
        const level = h[2];
        const index = h[3];
        const size = new DataView(h.buffer, h.byteOffset, HEADER).getUint32(4, false);
        if (size > MAX_PAYLOAD) throw new ProtocolError('record of ' + size + ' bytes');
        if (this.queued < HEADER + size) break;
        this.take(HEADER);
        let payload = this.take(size);
        if (flags & 0x02) throw new ProtocolError('the server encrypts packets; this client does not (use wss://)');
        if (level & 0x10) payload = lz4Decompress(payload);
        else if (level & 0x40) throw new ProtocolError('brotli-compressed record (not negotiated)');
        else if (level & 0x20) throw new ProtocolError('lzo-compressed record (not negotiated)');
        else if (level > 0) payload = await zlibDecompress(payload);
        if (index > 0) {
          if (this.chunks.size >= 4 || this.chunks.has(index)) throw new ProtocolError('bad raw chunk ' + index);
          this.chunks.set(index, payload);
          continue;
        }
        if (flags & 0x01) throw new ProtocolError('rencoded packet (this client speaks bencode)');
        if (flags & 0x04) throw new ProtocolError('yaml packet (this client speaks bencode)');
        const packet = bdecode(payload);
        if (!Array.isArray(packet) || packet.length === 0) throw new ProtocolError('a packet is not a list');
        for (const [i, chunk] of this.chunks) {
          if (i < packet.length) packet[i] = chunk;
        }
        this.chunks.clear();
        packet[0] = text(packet[0]);
        await this.handlers.onPacket(packet, HEADER + size);
      }
    } catch (e) {
      console.error('protocol error', e);
      if (!this.closed) {
        this.handlers.onProtocolError?.(e.message || String(e));
        this.close('protocol error: ' + (e.message || e));
      }
    } finally {
      this.busy = false;
    }
    if (!this.closed && this.queued >= HEADER) {
      // Bytes arrived while the last packet was handled: parse them too.
      const h = this.peekHeader();
      const size = new DataView(h.buffer, h.byteOffset, HEADER).getUint32(4, false);
      if (this.queued >= HEADER + size) this.pump();
    }
  }
}
