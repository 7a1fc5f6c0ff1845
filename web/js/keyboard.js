// Browser keyboard events to X keysym names and values, as Xpra's key-action packets carry them.

const SPECIAL = {
  Enter: ['Return', 0xff0d], Backspace: ['BackSpace', 0xff08], Tab: ['Tab', 0xff09],
  Escape: ['Escape', 0xff1b], Delete: ['Delete', 0xffff], Insert: ['Insert', 0xff63],
  Home: ['Home', 0xff50], End: ['End', 0xff57], PageUp: ['Prior', 0xff55], PageDown: ['Next', 0xff56],
  ArrowLeft: ['Left', 0xff51], ArrowUp: ['Up', 0xff52], ArrowRight: ['Right', 0xff53], ArrowDown: ['Down', 0xff54],
  CapsLock: ['Caps_Lock', 0xffe5], NumLock: ['Num_Lock', 0xff7f], ScrollLock: ['Scroll_Lock', 0xff14],
  Pause: ['Pause', 0xff13], PrintScreen: ['Print', 0xff61], ContextMenu: ['Menu', 0xff67],
  AltGraph: ['ISO_Level3_Shift', 0xfe03], Dead: ['dead_acute', 0xfe51],
};
const MODIFIER_KEYS = {
  ShiftLeft: ['Shift_L', 0xffe1], ShiftRight: ['Shift_R', 0xffe2],
  ControlLeft: ['Control_L', 0xffe3], ControlRight: ['Control_R', 0xffe4],
  AltLeft: ['Alt_L', 0xffe9], AltRight: ['Alt_R', 0xffea],
  MetaLeft: ['Super_L', 0xffeb], MetaRight: ['Super_R', 0xffec],
};
const PUNCTUATION = {
  ' ': 'space', '!': 'exclam', '"': 'quotedbl', '#': 'numbersign', '$': 'dollar', '%': 'percent',
  '&': 'ampersand', "'": 'apostrophe', '(': 'parenleft', ')': 'parenright', '*': 'asterisk',
  '+': 'plus', ',': 'comma', '-': 'minus', '.': 'period', '/': 'slash', ':': 'colon',
  ';': 'semicolon', '<': 'less', '=': 'equal', '>': 'greater', '?': 'question', '@': 'at',
  '[': 'bracketleft', '\\': 'backslash', ']': 'bracketright', '^': 'asciicircum', '_': 'underscore',
  '`': 'grave', '{': 'braceleft', '|': 'bar', '}': 'braceright', '~': 'asciitilde',
};

/** {name, keyval, string} for a KeyboardEvent, or null when it carries nothing to send. */
export function keysymOf(event) {
  if (MODIFIER_KEYS[event.code]) {
    const [name, keyval] = MODIFIER_KEYS[event.code];
    return { name, keyval, string: '' };
  }
  if (SPECIAL[event.key]) {
    const [name, keyval] = SPECIAL[event.key];
    return { name, keyval, string: event.key === 'Enter' ? '\r' : event.key === 'Tab' ? '\t' : '' };
  }
  const f = /^F([1-9]|1[0-9]|2[0-4])$/.exec(event.key);
  if (f) return { name: event.key, keyval: 0xffbe + Number(f[1]) - 1, string: '' };
  if (event.key.length >= 1 && [...event.key].length === 1) {
    const ch = event.key;
    const code = ch.codePointAt(0);
    const name = PUNCTUATION[ch] || (code < 0x100 && /[0-9A-Za-z]/.test(ch) ? ch : null);
    const keyval = code < 0x100 ? code : 0x01000000 + code;
    return { name: name || 'U' + code.toString(16).toUpperCase().padStart(4, '0'), keyval, string: ch };
  }
  return null;
}

/** Xpra's modifier names for the state of |event|. */
export function modifiersOf(event) {
  const out = [];
  if (event.shiftKey) out.push('shift');
  if (event.ctrlKey) out.push('control');
  if (event.altKey) out.push('mod1');
  if (event.metaKey) out.push('mod4');
  if (event.getModifierState?.('CapsLock')) out.push('lock');
  return out;
}
