package io.chatvault.source.whatsapp;

/**
 * Strict UTF-8 validation (no overlong forms, no surrogates, nothing above U+10FFFF). The
 * JDK decoder silently replaces bad bytes; the reader needs to know, to keep the raw
 * bytes of a message whose text had to be repaired.
 */
final class Utf8 {

	private Utf8() {
	}

	static boolean valid(byte[] b, int off, int len) {
		int i = off;
		int end = off + len;
		while (i < end) {
			int c = b[i];
			if (c >= 0) {
				i++;
				continue;
			}
			c &= 0xFF;
			int n;
			if (c >= 0xC2 && c <= 0xDF) {
				n = 1;
			}
			else if (c >= 0xE0 && c <= 0xEF) {
				n = 2;
			}
			else if (c >= 0xF0 && c <= 0xF4) {
				n = 3;
			}
			else {
				return false;
			}
			if (i + n >= end) {
				return false;
			}
			int c1 = b[i + 1] & 0xFF;
			if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 > 0x9F) || (c == 0xF0 && c1 < 0x90)
					|| (c == 0xF4 && c1 > 0x8F)) {
				return false;
			}
			for (int k = 1; k <= n; k++) {
				if ((b[i + k] & 0xC0) != 0x80) {
					return false;
				}
			}
			i += n + 1;
		}
		return true;
	}

}
