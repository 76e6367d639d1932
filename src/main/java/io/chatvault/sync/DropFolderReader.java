package io.chatvault.sync;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.chatvault.cli.UsageException;
import io.chatvault.custodian.GroupMember;
import io.chatvault.message.QuarantinedRecord;
import io.chatvault.message.Sha256;
import io.chatvault.message.SourceLocation;
import io.chatvault.message.SourceRecord;
import io.chatvault.source.ChatSource;
import io.chatvault.source.ChatSources;
import io.chatvault.source.DateOrder;
import io.chatvault.source.SourceOptions;
import io.chatvault.source.SourceReader;

import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * Reads the exports in a group's drop folder through the same sources as the migration
 * job ({@link ChatSources}, format detected per file), in slices of records, each slice a
 * unit whose commit records how far the file has come. A file is known by its SHA-256:
 * one already done is not read again (it is retired again if it is still there), one half
 * done resumes after its last committed record - in a restart as in the next window. A
 * file no format reads is quarantined whole (its first bytes and its length) and done.
 */
class DropFolderReader implements ItemStreamReader<SyncUnit> {

	private static final Log logger = LogFactory.getLog(DropFolderReader.class);

	/** What of an unreadable file is kept in quarantine. */
	private static final int QUARANTINE_HEAD = 16 << 20;

	private final ChatSources sources;

	private final DroppedFiles droppedFiles;

	private final SyncWindow window;

	private final Path groupFolder;

	private final String defaultCustodian;

	private final int slice;

	private final SyncProperties.AfterImport afterImport;

	private final List<String> skipped = new ArrayList<>();

	private Iterator<DropFolder.Dropped> files;

	private Open open;

	DropFolderReader(ChatSources sources, DroppedFiles droppedFiles, SyncWindow window, Path groupFolder,
			String defaultCustodian, int slice, SyncProperties.AfterImport afterImport) {
		this.sources = sources;
		this.droppedFiles = droppedFiles;
		this.window = window;
		this.groupFolder = groupFolder;
		this.defaultCustodian = defaultCustodian;
		this.slice = slice;
		this.afterImport = afterImport;
	}

	@Override
	public void open(ExecutionContext executionContext) {
		this.files = DropFolder.waiting(this.groupFolder, this.defaultCustodian, this.window.windowEnd(), this.skipped)
			.iterator();
		for (String skip : this.skipped) {
			logger.warn("Drop folder of group " + this.window.groupName() + ": " + skip + " is not taken; drop "
					+ "export files into <drop>/<group>/<custodian>/");
		}
	}

	List<String> skipped() {
		return this.skipped;
	}

	@Override
	public SyncUnit read() {
		while (true) {
			if (this.open == null) {
				if (!this.files.hasNext()) {
					return null;
				}
				this.open = open(this.files.next());
				if (this.open == null) {
					continue;
				}
			}
			SyncUnit unit = this.open.slice();
			if (this.open.finished) {
				this.open.close();
				this.open = null;
			}
			return unit;
		}
	}

	/** Opens a file, or returns null when it is done already. */
	private Open open(DropFolder.Dropped dropped) {
		Sha256.Hashed hashed;
		try (InputStream in = Files.newInputStream(dropped.path())) {
			hashed = Sha256.hex(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read dropped file " + dropped.path(), ex);
		}
		Optional<DroppedFiles.State> state = this.droppedFiles.state(hashed.sha256());
		if (state.isPresent() && state.get().done()) {
			logger.info("Dropped file " + dropped.path() + " was imported before (SHA-256 " + hashed.sha256()
					+ "); retiring it");
			DropFolder.retire(this.groupFolder, dropped.path(), this.afterImport);
			return null;
		}
		long done = state.map(DroppedFiles.State::recordsDone).orElse(0L);
		SourceOptions options = new SourceOptions(dropped.custodian(), zone(dropped.custodian()), DateOrder.AUTO);
		ChatSource source;
		try {
			source = this.sources.choose(dropped.path(), ChatSources.AUTO);
		}
		catch (UsageException ex) {
			return new Open(dropped, hashed, ex.getMessage(), null, 0);
		}
		SourceReader reader;
		try {
			reader = source.open(dropped.path(), options);
		}
		catch (IOException ex) {
			return new Open(dropped, hashed, source.format().key() + ": cannot open: " + ex.getMessage(), null, 0);
		}
		for (long skip = 0; skip < done; skip++) {
			if (!reader.hasNext()) {
				closeQuietly(reader);
				throw new ItemStreamException("Dropped file " + dropped.path() + " holds " + skip + " records, but "
						+ done + " were committed: its SHA-256 matched, so the reader changed");
			}
			reader.next();
		}
		return new Open(dropped, hashed, source.format().key(), reader, done);
	}

	private ZoneId zone(String custodian) {
		return this.window.group()
			.members()
			.stream()
			.filter((member) -> member.custodian().equals(custodian))
			.map(GroupMember::zone)
			.findFirst()
			.orElse(ZoneOffset.UTC);
	}

	@Override
	public void close() {
		if (this.open != null) {
			this.open.close();
			this.open = null;
		}
	}

	private static void closeQuietly(SourceReader reader) {
		try {
			reader.close();
		}
		catch (IOException ex) {
			// nothing was written through it
		}
	}

	/** A file being read. */
	private final class Open {

		private final DropFolder.Dropped dropped;

		private final Sha256.Hashed hashed;

		private final String format;

		private final SourceReader reader;

		private long recordsDone;

		private boolean finished;

		Open(DropFolder.Dropped dropped, Sha256.Hashed hashed, String format, SourceReader reader, long recordsDone) {
			this.dropped = dropped;
			this.hashed = hashed;
			this.format = format;
			this.reader = reader;
			this.recordsDone = recordsDone;
		}

		SyncUnit slice() {
			List<SyncRecord> records = new ArrayList<>();
			if (this.reader == null) {
				// No format reads it: the whole file is quarantined, as evidence.
				SourceLocation origin = new SourceLocation(this.dropped.path().toString(), "", 1);
				records
					.add(record(new QuarantinedRecord(origin, "no format reads this dropped file (" + this.format + ")",
							DropFolder.head(this.dropped.path(), QUARANTINE_HEAD), this.hashed.size())));
				this.recordsDone = 1;
				this.finished = true;
			}
			else {
				try {
					while (records.size() < DropFolderReader.this.slice && this.reader.hasNext()) {
						records.add(record(this.reader.next()));
					}
					this.finished = !this.reader.hasNext();
				}
				catch (UncheckedIOException ex) {
					throw new ItemStreamException("Cannot read dropped file " + this.dropped.path() + " after record "
							+ (this.recordsDone + records.size()) + ": " + ex.getCause().getMessage(), ex);
				}
				this.recordsDone += records.size();
			}
			return new SyncUnit(SyncSource.DROP, records,
					List.of(new Acknowledgement.DroppedFile(this.hashed.sha256(), DropFolderReader.this.groupFolder,
							this.dropped.path(), this.dropped.custodian(), this.format, this.hashed.size(),
							this.recordsDone, this.finished)));
		}

		private SyncRecord record(SourceRecord record) {
			return new SyncRecord(record, this.dropped.custodian(), null, this.dropped.modified(), 0);
		}

		void close() {
			if (this.reader != null) {
				closeQuietly(this.reader);
			}
		}

	}

}
