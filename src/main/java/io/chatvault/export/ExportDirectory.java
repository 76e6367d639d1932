package io.chatvault.export;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.chatvault.message.Sha256;

/**
 * The directory an export is written to. Every file goes through it: optionally encrypted
 * to the recipient's OpenPGP key (then named {@code .pgp}), its SHA-256 (as delivered,
 * and of the plaintext) and size recorded for the manifest. Files are created new: an
 * export never overwrites.
 */
final class ExportDirectory {

	private final Path root;

	private final Optional<OpenPgpRecipient> recipient;

	private final List<FileEntry> files = new ArrayList<>();

	ExportDirectory(Path root, Optional<OpenPgpRecipient> recipient) throws IOException {
		this.root = root;
		this.recipient = recipient;
		Files.createDirectories(root);
	}

	Path root() {
		return this.root;
	}

	/**
	 * Opens a new file of the export.
	 * @param relative its path in the export, {@code /}-separated
	 * @return a stream; closing it records the file
	 */
	OutputStream create(String relative) throws IOException {
		String name = this.recipient.isPresent() ? relative + ".pgp" : relative;
		Path path = this.root.resolve(name);
		Files.createDirectories(path.getParent());
		MessageDigest delivered = Sha256.digest();
		MessageDigest plain = Sha256.digest();
		long[] plainSize = { 0 };
		OutputStream file = new DigestOutputStream(
				new BufferedOutputStream(Files.newOutputStream(path, StandardOpenOption.CREATE_NEW), 1 << 16),
				delivered);
		OutputStream target = this.recipient.isPresent() ? this.recipient.get().encrypt(file, relative) : file;
		OutputStream counted = new FilterOutputStream(new DigestOutputStream(target, plain)) {

			private boolean closed;

			@Override
			public void write(byte[] b, int off, int len) throws IOException {
				this.out.write(b, off, len);
				plainSize[0] += len;
			}

			@Override
			public void write(int b) throws IOException {
				this.out.write(b);
				plainSize[0]++;
			}

			@Override
			public void close() throws IOException {
				if (this.closed) {
					return;
				}
				this.closed = true;
				super.close();
				if (target != file) {
					file.close();
				}
				ExportDirectory.this.files
					.add(new FileEntry(name, Files.size(path), HexFormat.of().formatHex(delivered.digest()),
							plainSize[0], HexFormat.of().formatHex(plain.digest())));
			}
		};
		return counted;
	}

	List<FileEntry> files() {
		return List.copyOf(this.files);
	}

	/**
	 * A file written.
	 *
	 * @param path its path in the export
	 * @param size its size as delivered
	 * @param sha256 the SHA-256 as delivered
	 * @param plainSize its size before encryption (the same when not encrypted)
	 * @param plainSha256 the SHA-256 before encryption
	 */
	record FileEntry(String path, long size, String sha256, long plainSize, String plainSha256) {

		Map<String, Object> json() {
			Map<String, Object> json = new LinkedHashMap<>();
			json.put("path", this.path);
			json.put("size", this.size);
			json.put("sha256", this.sha256);
			if (!this.sha256.equals(this.plainSha256)) {
				json.put("plainSize", this.plainSize);
				json.put("plainSha256", this.plainSha256);
			}
			return json;
		}

	}

}
