// The wire layer's UTF-8: the one codec of sim/text (display and building strings; the wire keeps raw bytes).
export { utf8Encode, utf8Decode } from '../text/utf8.ts';
