package io.chatvault.migration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

import io.chatvault.message.SourceRecord;
import io.chatvault.source.SourceFormat;
import io.chatvault.source.SourceOptions;
import io.chatvault.source.SourceReader;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.batch.infrastructure.item.ItemStreamSupport;

/**
 * Streams the records of one export, with its intake: the export is received by the vault
 * (its receipt) when the reader opens, and its files are stored as originals once its
 * records are all read. Its position is the count of records consumed, saved with every
 * chunk commit; since a source reads the same input in the same order every time, a
 * restart re-opens the export and skips that many records, resuming exactly after the
 * last committed chunk.
 */
class ExportReader extends ItemStreamSupport implements ItemStreamReader<SourceRecord> {

	static final String NAME = "exportReader";

	static final String READ = "read";

	static final String ORIGINALS_STORED = "originalsStored";

	private final ExportSources sources;

	private final Path export;

	private final Optional<SourceFormat> format;

	private final SourceOptions options;

	private final MigrationProgress progress;

	private final long size;

	private final String unreadable;

	private final ExportIntake intake;

	private SourceReader reader;

	private boolean originalsStored;

	private long read;

	/**
	 * A reader of one export.
	 * @param sources the formats
	 * @param export the export
	 * @param format its format, or empty to detect it
	 * @param options custodian and zone
	 * @param progress the progress line
	 * @param size its size in bytes
	 * @param unreadable why the export is quarantined whole without being read, or null
	 * to read it
	 * @param intake the export's way into the vault beside its records (receipt,
	 * originals)
	 */
	ExportReader(ExportSources sources, Path export, Optional<SourceFormat> format, SourceOptions options,
			MigrationProgress progress, long size, String unreadable, ExportIntake intake) {
		this.intake = intake;
		this.sources = sources;
		this.unreadable = unreadable;
		this.progress = progress;
		this.size = size;
		this.export = export;
		this.format = format;
		this.options = options;
		setName(NAME);
	}

	@Override
	public void open(ExecutionContext executionContext) {
		// The receipt first: it hashes every file as received, before anything is read.
		// An export quarantined whole is kept bit-exact by the quarantine instead.
		if (this.unreadable == null) {
			this.intake.receive();
		}
		this.originalsStored = this.unreadable != null
				|| executionContext.getLong(getExecutionContextKey(ORIGINALS_STORED), 0L) == 1L;
		try {
			this.reader = (this.unreadable != null)
					? ContainedReader.unreadable(this.export, this.format.orElse(null), this.unreadable)
					: ContainedReader.open(this.export, this.format.orElse(SourceFormat.WHATSAPP),
							() -> this.sources.open(this.export, this.format, this.options));
		}
		catch (IOException | RuntimeException ex) {
			throw new ItemStreamException("Cannot open export " + this.export + ": " + ex.getMessage(), ex);
		}
		this.progress.exportOpened(this.export);
		long committed = executionContext.getLong(getExecutionContextKey(READ), 0L);
		this.read = 0;
		while (this.read < committed) {
			if (!this.reader.hasNext()) {
				throw new ItemStreamException("Export " + this.export + " holds " + this.read
						+ " records, but the last run committed " + committed + ": it changed since");
			}
			this.reader.next();
			this.read++;
		}
	}

	@Override
	public SourceRecord read() {
		try {
			if (!this.reader.hasNext()) {
				if (!this.originalsStored) {
					// Now the vault knows which conversations each file held.
					this.intake.storeOriginals();
					this.originalsStored = true;
				}
				this.progress.exportFinished(this.export, this.size);
				return null;
			}
			SourceRecord record = this.reader.next();
			this.read++;
			return record;
		}
		catch (UncheckedIOException ex) {
			throw new ItemStreamException("Cannot read export " + this.export + " after record " + this.read + ": "
					+ ex.getCause().getMessage(), ex);
		}
	}

	@Override
	public void update(ExecutionContext executionContext) {
		executionContext.putLong(getExecutionContextKey(READ), this.read);
		executionContext.putLong(getExecutionContextKey(ORIGINALS_STORED), this.originalsStored ? 1L : 0L);
	}

	@Override
	public void close() {
		if (this.reader != null) {
			try {
				this.reader.close();
			}
			catch (IOException ex) {
				throw new ItemStreamException("Cannot close export " + this.export, ex);
			}
			finally {
				this.reader = null;
			}
		}
	}

}
