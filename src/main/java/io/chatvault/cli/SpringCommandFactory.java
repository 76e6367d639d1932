package io.chatvault.cli;

import picocli.CommandLine;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * Lets picocli take ChatVault's own classes (commands, completion candidates, converters)
 * from the Spring context when they are beans there, so they get their collaborators
 * injected; everything else (collections, picocli's own helpers) picocli creates itself.
 */
final class SpringCommandFactory implements CommandLine.IFactory {

	private final ConfigurableListableBeanFactory beanFactory;

	SpringCommandFactory(ConfigurableListableBeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public <K> K create(Class<K> type) throws Exception {
		if (type.getName().startsWith("io.chatvault.")
				&& this.beanFactory.getBeanNamesForType(type, true, false).length > 0) {
			return this.beanFactory.getBean(type);
		}
		return CommandLine.defaultFactory().create(type);
	}

}
