package io.chatvault.migration;

import org.springframework.aop.scope.ScopedObject;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import org.springframework.batch.infrastructure.item.ItemStream;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * A partition's step-scoped reader and processor, resolved once when its step opens
 * instead of on every item. A call through a {@code @StepScope} proxy looks its target up
 * in the bean factory and the step's scope each time (two look-ups per record, a few per
 * cent of a migration's CPU); here the step's streams are opened with the target, which
 * then serves every item of that step. The worker step is one bean that the grid's
 * threads run at once, each for its own partition, so the target is held per thread from
 * the step's {@code open} to its {@code close}; a call outside that span goes through the
 * proxy as before.
 */
final class StepBound {

	private StepBound() {
	}

	/**
	 * The reader, resolved when the step opens it.
	 * @param <T> the item type
	 * @param scoped the step-scoped proxy (or a plain reader, used as it is)
	 * @return a reader that reads through the resolved target
	 */
	static <T> ItemStreamReader<T> reader(ItemStreamReader<T> scoped) {
		return new Reader<>(scoped);
	}

	/**
	 * The processor, resolved when the step opens its streams (it is one of them).
	 * @param <I> the item type read
	 * @param <O> the item type written
	 * @param scoped the step-scoped proxy (or a plain processor, used as it is)
	 * @return a processor that processes through the resolved target
	 */
	static <I, O> ItemProcessor<I, O> processor(ItemProcessor<I, O> scoped) {
		return new Processor<>(scoped);
	}

	@SuppressWarnings("unchecked")
	private static <T> T target(T scoped) {
		return (scoped instanceof ScopedObject proxy) ? (T) proxy.getTargetObject() : scoped;
	}

	private abstract static class Bound<T> implements ItemStream {

		private final T scoped;

		private final ThreadLocal<T> target = new ThreadLocal<>();

		Bound(T scoped) {
			this.scoped = scoped;
		}

		/** Resolves the target for this thread's step: call on the step's thread. */
		final T bind() {
			T resolved = StepBound.target(this.scoped);
			this.target.set(resolved);
			return resolved;
		}

		final void unbind() {
			this.target.remove();
		}

		final T current() {
			T bound = this.target.get();
			return (bound != null) ? bound : this.scoped;
		}

	}

	private static final class Reader<T> extends Bound<ItemStreamReader<T>> implements ItemStreamReader<T> {

		Reader(ItemStreamReader<T> scoped) {
			super(scoped);
		}

		@Override
		public void open(ExecutionContext executionContext) {
			bind().open(executionContext);
		}

		@Override
		public T read() throws Exception {
			return current().read();
		}

		@Override
		public void update(ExecutionContext executionContext) {
			current().update(executionContext);
		}

		@Override
		public void close() {
			try {
				current().close();
			}
			finally {
				unbind();
			}
		}

	}

	private static final class Processor<I, O> extends Bound<ItemProcessor<I, O>> implements ItemProcessor<I, O> {

		Processor(ItemProcessor<I, O> scoped) {
			super(scoped);
		}

		@Override
		public void open(ExecutionContext executionContext) {
			bind();
		}

		@Override
		public O process(I item) throws Exception {
			return current().process(item);
		}

		@Override
		public void close() {
			unbind();
		}

	}

}
