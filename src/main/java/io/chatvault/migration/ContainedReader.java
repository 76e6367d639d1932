package io.chatvault.migration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.NoSuchElementException;

import io.chatvault.message.ByteRange;
import io.chatvault.message.QuarantinedRecord;
import io.chatvault.message.SourceLocation;
import io.chatvault.message.SourceRecord;
import io.chatvault.source.SourceDescription;
import io.chatvault.source.SourceFormat;
import io.chatvault.source.SourceReader;

/**
 * Keeps damage to one export local: an export that cannot be opened, or that breaks off
 * while it is read, ends in one more quarantined record holding the whole file as it is
 * (streamed by the vault, never read into memory) and the reason; the records read before
 * stand, and the run goes on with the other exports. Deterministic, like every reader: a
 * restart that skips the records already committed meets the same records and the same
 * end.
 */
final class ContainedReader implements SourceReader {

	private final SourceReader delegate;

	private final Path export;

	private final SourceDescription description;

	private SourceRecord last;

	private boolean ended;

	private long read;

	private ContainedReader(SourceReader delegate, Path export, SourceDescription description, SourceRecord last) {
		this.delegate = delegate;
		this.export = export;
		this.description = description;
		this.last = last;
		this.ended = (delegate == null);
	}

	/**
	 * Opens an export; if it cannot be opened, a reader of one record that quarantines it
	 * whole.
	 * @param export the export
	 * @param format its format, for the description
	 * @param opener opens the source's reader
	 * @return the reader
	 * @throws IOException if the export is not a file that can be quarantined (a missing
	 * file, a directory): that is not damage of the input but of the machine
	 */
	static ContainedReader open(Path export, SourceFormat format, Opener opener) throws IOException {
		try {
			SourceReader reader = opener.open();
			return new ContainedReader(reader, export, reader.description(), null);
		}
		catch (IOException | RuntimeException ex) {
			if (!Files.isRegularFile(export)) {
				throw ex;
			}
			return unreadable(export, format, "cannot be read as a " + format.key() + " export: " + describe(ex));
		}
	}

	/**
	 * A reader of one record that quarantines a file whole.
	 * @param export the file
	 * @param format the format it was taken for, or null
	 * @param reason why
	 * @return the reader
	 * @throws IOException if the file's size cannot be read
	 */
	static ContainedReader unreadable(Path export, SourceFormat format, String reason) throws IOException {
		QuarantinedRecord whole = QuarantinedRecord.ofRange(new SourceLocation(export.toString(), "", 0), reason,
				ByteRange.wholeFile(export));
		SourceDescription description = new SourceDescription((format != null) ? format : SourceFormat.WHATSAPP, null,
				java.util.List.of("quarantined whole: " + reason));
		return new ContainedReader(null, export, description, whole);
	}

	@Override
	public SourceDescription description() {
		return this.description;
	}

	@Override
	public boolean hasNext() {
		if (this.last != null) {
			return true;
		}
		if (this.ended) {
			return false;
		}
		try {
			if (this.delegate.hasNext()) {
				return true;
			}
			this.ended = true;
			return false;
		}
		catch (RuntimeException ex) {
			breakOff(ex);
			return true;
		}
	}

	@Override
	public SourceRecord next() {
		if (!hasNext()) {
			throw new NoSuchElementException();
		}
		if (this.last != null) {
			SourceRecord record = this.last;
			this.last = null;
			this.ended = true;
			return record;
		}
		try {
			SourceRecord record = this.delegate.next();
			this.read++;
			return record;
		}
		catch (RuntimeException ex) {
			breakOff(ex);
			return next();
		}
	}

	/**
	 * The export broke off: the records read stand; the file is quarantined whole, since
	 * where the rest begins in it is not known.
	 */
	private void breakOff(RuntimeException ex) {
		this.ended = true;
		String reason = "the export breaks off after record " + this.read + ": " + describe(ex)
				+ "; the records before were read, the whole file is kept in quarantine";
		SourceLocation origin = new SourceLocation(this.export.toString(), "", this.read + 1);
		try {
			this.last = Files.isRegularFile(this.export)
					? QuarantinedRecord.ofRange(origin, reason, ByteRange.wholeFile(this.export))
					: new QuarantinedRecord(origin, reason, new byte[0]);
		}
		catch (IOException io) {
			throw new UncheckedIOException("Cannot read " + this.export, io);
		}
		try {
			this.delegate.close();
		}
		catch (IOException | RuntimeException closing) {
			// the export is broken already; its reader's close changes nothing
		}
	}

	private static String describe(Exception ex) {
		Throwable cause = (ex instanceof UncheckedIOException && ex.getCause() != null) ? ex.getCause() : ex;
		String message = cause.getMessage();
		if (message == null || message.isBlank()) {
			return cause.getClass().getSimpleName();
		}
		return (cause instanceof IOException) ? message : cause.getClass().getSimpleName() + ": " + message;
	}

	@Override
	public void close() throws IOException {
		if (this.delegate != null) {
			this.delegate.close();
		}
	}

	/** Opens the source's reader. */
	@FunctionalInterface
	interface Opener {

		SourceReader open() throws IOException;

	}

}
