package io.chatvault.cli;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.stereotype.Component;

/**
 * Makes every bean annotated with picocli's {@code @Command} a prototype. picocli writes
 * the parsed options into the command's fields, so each invocation needs its own
 * instance: a singleton would carry the options of one call into the next, or share them
 * between two threads (the tests run commands concurrently in one context). Doing it here
 * spares every command author the {@code @Scope} they would sooner or later forget.
 * <p>
 * It reads the annotation from the bean definition's metadata, which component scanning
 * has already read without loading the class.
 */
@Component
class CommandBeans implements BeanFactoryPostProcessor {

	static final String COMMAND_ANNOTATION = picocli.CommandLine.Command.class.getName();

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) throws BeansException {
		for (String name : beanFactory.getBeanDefinitionNames()) {
			BeanDefinition definition = beanFactory.getBeanDefinition(name);
			if (definition instanceof AnnotatedBeanDefinition annotated
					&& annotated.getMetadata().hasAnnotation(COMMAND_ANNOTATION)) {
				definition.setScope(BeanDefinition.SCOPE_PROTOTYPE);
			}
		}
	}

}
