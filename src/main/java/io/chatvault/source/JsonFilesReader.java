package io.chatvault.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import tools.jackson.databind.JsonNode;

import io.chatvault.message.QuarantinedRecord;
import io.chatvault.message.SourceLocation;

/**
 * Reads the JSON files of an input (one file, or the selected files of a directory) one
 * raw record at a time, in path order, for the sources whose records are JSON documents
 * (Teams pages, webhook bodies). Subclasses map each record; a file that breaks off
 * mid-read is quarantined from that point and the next file is read.
 */
public abstract class JsonFilesReader extends QueuedSourceReader {

	private final Path root;

	private final Iterator<Path> files;

	private final JsonRecords json = new JsonRecords();

	private final SourceDescription description;

	private Path file;

	private JsonRecordSplitter splitter;

	private long number;

	/**
	 * A reader of files.
	 * @param root the input as given (a file, or the directory)
	 * @param files the files to read, in order
	 * @param description what the source found out about the input
	 */
	protected JsonFilesReader(Path root, List<Path> files, SourceDescription description) {
		this.root = root;
		this.files = files.iterator();
		this.description = description;
	}

	/**
	 * Maps one record of the current file and {@link #emit emits} what it yields. Records
	 * that are not JSON are quarantined before they get here.
	 * @param record the raw record
	 * @param node its JSON tree
	 */
	protected abstract void handle(JsonRecordSplitter.Record record, JsonNode node);

	protected final JsonRecords json() {
		return this.json;
	}

	/** Whether the current file is a top-level array (rather than values in a row). */
	protected final boolean arrayMode() {
		return this.splitter != null && this.splitter.arrayMode();
	}

	/**
	 * The location of the next record of the current file: each call counts one record.
	 * @param entryWithinFile a name inside the file (a test case), or an empty string
	 * @return the location
	 */
	protected final SourceLocation nextLocation(String entryWithinFile) {
		return InputFiles.location(this.root, this.file, entryWithinFile, ++this.number);
	}

	/**
	 * The location of the next record of the current file, with the byte span of its raw
	 * fragment in the file: each call counts one record.
	 * @param entryWithinFile a name inside the file, or an empty string
	 * @param offset the fragment's first byte in the file
	 * @param length its length
	 * @return the location
	 */
	protected final SourceLocation nextLocation(String entryWithinFile, long offset, long length) {
		return nextLocation(entryWithinFile).withSpan(offset, length);
	}

	@Override
	public final SourceDescription description() {
		return this.description;
	}

	@Override
	protected final boolean produce() throws IOException {
		if (this.splitter == null) {
			if (!this.files.hasNext()) {
				return false;
			}
			this.file = this.files.next();
			this.number = 0;
			this.splitter = new JsonRecordSplitter(Files.newInputStream(this.file));
			return true;
		}
		Optional<JsonRecordSplitter.Record> next;
		try {
			next = this.splitter.next();
		}
		catch (IOException ex) {
			emit(new QuarantinedRecord(InputFiles.location(this.root, this.file, "", this.number + 1),
					"the rest of the file cannot be read: " + ex.getMessage(), new byte[0]));
			next = Optional.empty();
		}
		if (next.isEmpty()) {
			this.splitter.close();
			this.splitter = null;
			return true;
		}
		JsonRecordSplitter.Record record = next.get();
		JsonRecords.Parsed parsed = this.json.parse(record);
		if (parsed.ok()) {
			handle(record, parsed.node());
		}
		else {
			emit(new QuarantinedRecord(nextLocation(""), parsed.problem(), record.raw(), record.rawLength()));
		}
		return true;
	}

	@Override
	public void close() throws IOException {
		if (this.splitter != null) {
			this.splitter.close();
		}
	}

}
