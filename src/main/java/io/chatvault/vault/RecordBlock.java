package io.chatvault.vault;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The plaintext of a records block, before compression: the number of records, the
 * block's holder (canonical JSON naming the source, conversation and custodian, so that
 * the index can be rebuilt from the blocks), each record's length, then the canonical
 * records one after another. Numbers are unsigned LEB128 varints.
 */
final class RecordBlock {

	private RecordBlock() {
	}

	/**
	 * Lays out a block.
	 * @param holder the holder's canonical JSON
	 * @param records the canonical records, in order
	 * @return the plaintext
	 */
	static byte[] encode(byte[] holder, List<byte[]> records) {
		int size = holder.length + 16;
		for (byte[] record : records) {
			size += record.length + 3;
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream(size);
		varint(out, records.size());
		varint(out, holder.length);
		out.writeBytes(holder);
		for (byte[] record : records) {
			varint(out, record.length);
		}
		for (byte[] record : records) {
			out.writeBytes(record);
		}
		return out.toByteArray();
	}

	/**
	 * Reads a block's layout.
	 * @param plain the plaintext
	 * @return where its parts are
	 * @throws IllegalArgumentException if the layout does not add up
	 */
	static Layout decode(byte[] plain) {
		int[] position = { 0 };
		int count = readVarint(plain, position);
		int holderLength = readVarint(plain, position);
		int holderStart = position[0];
		position[0] += holderLength;
		int[] offsets = new int[count + 1];
		int[] lengths = new int[count];
		for (int i = 0; i < count; i++) {
			lengths[i] = readVarint(plain, position);
		}
		int at = position[0];
		for (int i = 0; i < count; i++) {
			offsets[i] = at;
			at += lengths[i];
		}
		offsets[count] = at;
		if (at != plain.length || holderStart + holderLength > plain.length) {
			throw new IllegalArgumentException(
					"records block layout does not add up: " + at + " of " + plain.length + " bytes accounted for");
		}
		return new Layout(plain, Arrays.copyOfRange(plain, holderStart, holderStart + holderLength), offsets);
	}

	static void varint(ByteArrayOutputStream out, int value) {
		int v = value;
		while ((v & ~0x7F) != 0) {
			out.write((v & 0x7F) | 0x80);
			v >>>= 7;
		}
		out.write(v);
	}

	private static int readVarint(byte[] bytes, int[] position) {
		int value = 0;
		for (int shift = 0; shift < 35; shift += 7) {
			if (position[0] >= bytes.length) {
				throw new IllegalArgumentException("records block ends inside a number");
			}
			int b = bytes[position[0]++] & 0xFF;
			value |= (b & 0x7F) << shift;
			if ((b & 0x80) == 0) {
				if (value < 0) {
					throw new IllegalArgumentException("records block holds a negative length");
				}
				return value;
			}
		}
		throw new IllegalArgumentException("records block holds an overlong number");
	}

	/**
	 * A decoded block.
	 *
	 * @param plain the plaintext
	 * @param holder the holder's canonical JSON
	 * @param offsets where each record starts, and where the last ends
	 */
	record Layout(byte[] plain, byte[] holder, int[] offsets) {

		int count() {
			return this.offsets.length - 1;
		}

		byte[] record(int ordinal) {
			if (ordinal < 0 || ordinal >= count()) {
				throw new IllegalArgumentException("no record " + ordinal + " in a block of " + count());
			}
			return Arrays.copyOfRange(this.plain, this.offsets[ordinal], this.offsets[ordinal + 1]);
		}

		List<byte[]> records() {
			List<byte[]> all = new ArrayList<>(count());
			for (int i = 0; i < count(); i++) {
				all.add(record(i));
			}
			return all;
		}

	}

}
