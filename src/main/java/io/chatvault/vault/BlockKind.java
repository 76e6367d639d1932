package io.chatvault.vault;

/**
 * What a block of a pack holds; kept (authenticated) in the sealed block's flags and
 * named in the pack's manifest.
 */
enum BlockKind {

	/** Canonical records of one conversation as one custodian holds it. */
	RECORDS(1),

	/** The canonical state of a conversation (type, name, participants). */
	CONVERSATION(2),

	/** A content-defined chunk of an original export file. */
	ORIGINAL(3),

	/** A content-defined chunk of media. */
	MEDIA(4),

	/**
	 * The manifest of a stored file (an original or media): its SHA-256, size and chunk
	 * ids in order, so that the file can be found again from the store alone.
	 */
	FILE(5);

	/** The flag bit of a zstd-compressed payload. */
	static final int COMPRESSED = 0x10;

	private final int code;

	BlockKind(int code) {
		this.code = code;
	}

	int code() {
		return this.code;
	}

	/** Whether the block is a chunk of a stored file (it has a keyed chunk id). */
	boolean chunk() {
		return this == ORIGINAL || this == MEDIA;
	}

	String label() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

	static BlockKind of(int code) {
		for (BlockKind kind : values()) {
			if (kind.code == code) {
				return kind;
			}
		}
		throw new IllegalArgumentException("unknown block kind " + code);
	}

	static BlockKind ofLabel(String label) {
		return valueOf(label.toUpperCase(java.util.Locale.ROOT));
	}

}
