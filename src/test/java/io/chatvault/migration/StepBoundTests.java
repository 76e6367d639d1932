package io.chatvault.migration;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import org.springframework.aop.scope.ScopedObject;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import org.springframework.batch.infrastructure.item.ItemStream;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

import static org.assertj.core.api.Assertions.assertThat;

class StepBoundTests {

	@Test
	void aStepReadsThroughTheTargetItsOpenResolved() throws Exception {
		// given
		ScopedReader scoped = new ScopedReader(List.of("a", "b", "c"));
		ItemStreamReader<String> reader = StepBound.reader(scoped);

		// when
		reader.open(new ExecutionContext());
		List<String> read = new ArrayList<>();
		for (String item = reader.read(); item != null; item = reader.read()) {
			read.add(item);
		}
		reader.update(new ExecutionContext());
		reader.close();

		// then: one look-up for the whole step, every call on the target
		assertThat(read).containsExactly("a", "b", "c");
		assertThat(scoped.lookups).isEqualTo(1);
		assertThat(scoped.target.calls).containsExactly("open", "read", "read", "read", "read", "update", "close");
		assertThat(scoped.callsThroughProxy).isZero();
	}

	@Test
	void anotherThreadAndACallAfterCloseGoThroughTheProxy() throws Exception {
		// given
		ScopedReader scoped = new ScopedReader(List.of("a", "b"));
		ItemStreamReader<String> reader = StepBound.reader(scoped);
		reader.open(new ExecutionContext());

		// when
		String otherThread = CompletableFuture.supplyAsync(() -> {
			try {
				return reader.read();
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}).get();
		reader.close();
		String afterClose = reader.read();

		// then
		assertThat(otherThread).isEqualTo("proxy");
		assertThat(afterClose).isEqualTo("proxy");
		assertThat(scoped.callsThroughProxy).isEqualTo(2);
	}

	@Test
	void aProcessorIsResolvedWhenTheStepOpensItsStreams() throws Exception {
		// given
		int[] lookups = { 0 };
		ItemProcessor<String, String> target = (item) -> item.toUpperCase();
		ItemProcessor<String, String> scoped = new ScopedProcessor(target, lookups);
		ItemProcessor<String, String> processor = StepBound.processor(scoped);

		// when
		((ItemStream) processor).open(new ExecutionContext());
		String first = processor.process("x");
		String second = processor.process("y");
		((ItemStream) processor).close();
		String afterClose = processor.process("z");

		// then
		assertThat(List.of(first, second)).containsExactly("X", "Y");
		assertThat(lookups[0]).isEqualTo(1);
		assertThat(afterClose).isEqualTo("proxy:z");
	}

	/** Stands in for a step-scoped proxy: counts the look-ups of its target. */
	static final class ScopedReader implements ItemStreamReader<String>, ScopedObject {

		final RecordingReader target;

		int lookups;

		int callsThroughProxy;

		ScopedReader(List<String> items) {
			this.target = new RecordingReader(items);
		}

		@Override
		public Object getTargetObject() {
			this.lookups++;
			return this.target;
		}

		@Override
		public void removeFromScope() {
		}

		@Override
		public String read() {
			this.callsThroughProxy++;
			return "proxy";
		}

	}

	static final class RecordingReader implements ItemStreamReader<String> {

		final List<String> calls = new ArrayList<>();

		private final Iterator<String> items;

		RecordingReader(List<String> items) {
			this.items = items.iterator();
		}

		@Override
		public void open(ExecutionContext executionContext) {
			this.calls.add("open");
		}

		@Override
		public String read() {
			this.calls.add("read");
			return this.items.hasNext() ? this.items.next() : null;
		}

		@Override
		public void update(ExecutionContext executionContext) {
			this.calls.add("update");
		}

		@Override
		public void close() {
			this.calls.add("close");
		}

	}

	record ScopedProcessor(ItemProcessor<String, String> target,
			int[] lookups) implements ItemProcessor<String, String>, ScopedObject {

		@Override
		public Object getTargetObject() {
			this.lookups[0]++;
			return this.target;
		}

		@Override
		public void removeFromScope() {
		}

		@Override
		public String process(String item) {
			return "proxy:" + item;
		}

	}

}
