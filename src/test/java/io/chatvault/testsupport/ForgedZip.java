package io.chatvault.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes zip archives byte by byte, so that tests can build what an attacker builds:
 * local and central headers that disagree, duplicate names, entries that share bytes,
 * sizes and CRCs that lie, data descriptors. Every field that a reader could trust is
 * overridable per entry; by default the archive is well-formed.
 */
public final class ForgedZip {

	/** The compression method of stored entries. */
	public static final int STORED = 0;

	/** The compression method of deflated entries. */
	public static final int DEFLATED = 8;

	private final List<Entry> entries = new ArrayList<>();

	private final List<Entry> centralOnly = new ArrayList<>();

	private byte[] comment = new byte[0];

	/**
	 * Adds a deflated entry.
	 * @param name its name
	 * @param data its bytes
	 * @return the entry, to forge further
	 */
	public Entry add(String name, byte[] data) {
		Entry entry = new Entry(name, data);
		this.entries.add(entry);
		return entry;
	}

	/**
	 * Adds a deflated entry of UTF-8 text.
	 * @param name its name
	 * @param text its text
	 * @return the entry
	 */
	public Entry add(String name, String text) {
		return add(name, text.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Adds a second central directory record for an entry's local header: two names (or
	 * the same name twice) for the same bytes, overlapping entries.
	 * @param of the entry whose data the record points at
	 * @param name the record's name
	 * @return the record, to forge further
	 */
	public Entry alias(Entry of, String name) {
		Entry alias = new Entry(name, of.data);
		alias.aliasOf = of;
		alias.method = of.method;
		this.centralOnly.add(alias);
		return alias;
	}

	/**
	 * Sets the archive comment (where a second end record can hide).
	 * @param comment the comment bytes
	 * @return this
	 */
	public ForgedZip comment(byte[] comment) {
		this.comment = comment;
		return this;
	}

	/** The archive's bytes. */
	public byte[] bytes() {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (Entry entry : this.entries) {
			entry.compress();
			entry.offset = out.size();
			byte[] name = entry.localNameBytes();
			ByteBuffer header = le(30);
			header.putInt(0x04034b50).putShort((short) 20).putShort((short) entry.localFlags());
			header.putShort((short) entry.localMethod()).putShort((short) 0).putShort((short) 0x21);
			boolean zeros = entry.descriptor;
			header.putInt(zeros ? 0 : (int) entry.localCrc());
			header.putInt(zeros ? 0 : (int) entry.localCompressed());
			header.putInt(zeros ? 0 : (int) entry.localSize());
			header.putShort((short) name.length).putShort((short) 0);
			out.writeBytes(header.array());
			out.writeBytes(name);
			out.writeBytes(entry.compressed);
			if (entry.descriptor) {
				ByteBuffer descriptor = le(16);
				descriptor.putInt(0x08074b50).putInt((int) entry.descriptorCrc());
				descriptor.putInt((int) entry.descriptorCompressed()).putInt((int) entry.descriptorSize());
				out.writeBytes(descriptor.array());
			}
		}
		int centralStart = out.size();
		List<Entry> central = new ArrayList<>(this.entries);
		central.addAll(this.centralOnly);
		for (Entry entry : central) {
			Entry data = (entry.aliasOf != null) ? entry.aliasOf : entry;
			if (entry.aliasOf != null) {
				entry.compressed = data.compressed;
				entry.crc = data.crc;
			}
			byte[] name = entry.name.getBytes(StandardCharsets.UTF_8);
			ByteBuffer header = le(46);
			header.putInt(0x02014b50).putShort((short) 20).putShort((short) 20);
			header.putShort((short) entry.centralFlags()).putShort((short) entry.method);
			header.putShort((short) 0).putShort((short) 0x21);
			header.putInt((int) entry.centralCrc()).putInt((int) entry.centralCompressed());
			header.putInt((int) entry.centralSize());
			header.putShort((short) name.length).putShort((short) 0).putShort((short) 0);
			header.putShort((short) 0).putShort((short) 0).putInt(0);
			header.putInt((int) ((entry.centralOffset != null) ? entry.centralOffset : data.offset));
			out.writeBytes(header.array());
			out.writeBytes(name);
		}
		int centralSize = out.size() - centralStart;
		ByteBuffer end = le(22);
		end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0);
		end.putShort((short) central.size()).putShort((short) central.size());
		end.putInt(centralSize).putInt(centralStart).putShort((short) this.comment.length);
		out.writeBytes(end.array());
		out.writeBytes(this.comment);
		return out.toByteArray();
	}

	/**
	 * Writes the archive.
	 * @param file where
	 * @return the file
	 * @throws IOException if it cannot be written
	 */
	public Path write(Path file) throws IOException {
		Files.write(file, bytes());
		return file;
	}

	private static ByteBuffer le(int size) {
		return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
	}

	/** One entry, with every field a forger may set. */
	public static final class Entry {

		final String name;

		final byte[] data;

		int method = DEFLATED;

		boolean descriptor;

		boolean encrypted;

		String localName;

		Integer localMethod;

		Long localCrc;

		Long centralCrc;

		Long descriptorCrc;

		Long localSize;

		Long centralSize;

		Long descriptorSize;

		Long centralCompressed;

		Long localCompressed;

		Long centralOffset;

		byte[] compressed;

		byte[] replacementData;

		long crc;

		long offset;

		Entry aliasOf;

		Entry(String name, byte[] data) {
			this.name = name;
			this.data = data;
		}

		/** Stores the entry uncompressed. */
		public Entry stored() {
			this.method = STORED;
			return this;
		}

		/** Writes sizes and CRC in a data descriptor after the data, zeros before. */
		public Entry withDescriptor() {
			this.descriptor = true;
			return this;
		}

		/** Marks the entry encrypted (its bytes are left as they are). */
		public Entry encrypted() {
			this.encrypted = true;
			return this;
		}

		/** The name in the local header, where the central directory has another. */
		public Entry localName(String name) {
			this.localName = name;
			return this;
		}

		public Entry localMethod(int method) {
			this.localMethod = method;
			return this;
		}

		public Entry centralMethod(int method) {
			this.method = method;
			return this;
		}

		public Entry localCrc(long crc) {
			this.localCrc = crc;
			return this;
		}

		public Entry centralCrc(long crc) {
			this.centralCrc = crc;
			return this;
		}

		public Entry descriptorCrc(long crc) {
			this.descriptor = true;
			this.descriptorCrc = crc;
			return this;
		}

		public Entry localSize(long size) {
			this.localSize = size;
			return this;
		}

		public Entry centralSize(long size) {
			this.centralSize = size;
			return this;
		}

		public Entry descriptorSize(long size) {
			this.descriptor = true;
			this.descriptorSize = size;
			return this;
		}

		public Entry centralCompressedSize(long size) {
			this.centralCompressed = size;
			return this;
		}

		public Entry localCompressedSize(long size) {
			this.localCompressed = size;
			return this;
		}

		public Entry centralOffset(long offset) {
			this.centralOffset = offset;
			return this;
		}

		/**
		 * Writes these bytes as the entry's data while the headers declare the CRC and
		 * size of the original: a damaged entry.
		 */
		public Entry damagedTo(byte[] data) {
			this.replacementData = data;
			return this;
		}

		void compress() {
			CRC32 checksum = new CRC32();
			checksum.update(this.data);
			this.crc = checksum.getValue();
			byte[] written = (this.replacementData != null) ? this.replacementData : this.data;
			if (this.method == DEFLATED) {
				Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
				deflater.setInput(written);
				deflater.finish();
				ByteArrayOutputStream out = new ByteArrayOutputStream();
				byte[] buffer = new byte[1 << 16];
				while (!deflater.finished()) {
					out.write(buffer, 0, deflater.deflate(buffer));
				}
				deflater.end();
				this.compressed = out.toByteArray();
			}
			else {
				this.compressed = Arrays.copyOf(written, written.length);
			}
		}

		byte[] localNameBytes() {
			return ((this.localName != null) ? this.localName : this.name).getBytes(StandardCharsets.UTF_8);
		}

		int localFlags() {
			return (this.descriptor ? 8 : 0) | (this.encrypted ? 1 : 0) | 0x800;
		}

		int centralFlags() {
			Entry data = (this.aliasOf != null) ? this.aliasOf : this;
			return data.localFlags();
		}

		int localMethod() {
			return (this.localMethod != null) ? this.localMethod : this.method;
		}

		long localCrc() {
			return (this.localCrc != null) ? this.localCrc : this.crc;
		}

		long centralCrc() {
			return (this.centralCrc != null) ? this.centralCrc : this.crc;
		}

		long descriptorCrc() {
			return (this.descriptorCrc != null) ? this.descriptorCrc : centralCrc();
		}

		long localSize() {
			return (this.localSize != null) ? this.localSize : this.data.length;
		}

		long centralSize() {
			return (this.centralSize != null) ? this.centralSize : this.data.length;
		}

		long descriptorSize() {
			return (this.descriptorSize != null) ? this.descriptorSize : centralSize();
		}

		long localCompressed() {
			return (this.localCompressed != null) ? this.localCompressed : this.compressed.length;
		}

		long centralCompressed() {
			return (this.centralCompressed != null) ? this.centralCompressed : this.compressed.length;
		}

		long descriptorCompressed() {
			return centralCompressed();
		}

	}

}
