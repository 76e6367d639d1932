package io.chatvault.cli;

import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

import org.springframework.beans.factory.ObjectFactory;
import org.springframework.beans.factory.config.DependencyDescriptor;
import org.springframework.context.annotation.ContextAnnotationAutowireCandidateResolver;

/**
 * Injects the collaborators of {@link CliCommand} beans as lazy-resolution proxies, as if
 * each were annotated {@code @Lazy}. The CLI creates every command bean to list them or
 * to find one by name; with this, creating the {@code jobs} command does not create the
 * job repository and so does not start PostgreSQL, which only the command that runs
 * needs, and only if it needs the database.
 */
class LazyCommandDependencies extends ContextAnnotationAutowireCandidateResolver {

	@Override
	protected boolean isLazy(DependencyDescriptor descriptor) {
		return super.isLazy(descriptor)
				|| (isCommandConstructor(descriptor) && isProxyable(descriptor.getDependencyType()));
	}

	private static boolean isCommandConstructor(DependencyDescriptor descriptor) {
		Class<?> declaring = (descriptor.getMethodParameter() != null)
				? descriptor.getMethodParameter().getDeclaringClass()
				: (descriptor.getField() != null) ? descriptor.getField().getDeclaringClass() : null;
		return declaring != null && CliCommand.class.isAssignableFrom(declaring);
	}

	private static boolean isProxyable(Class<?> type) {
		if (type.isPrimitive() || type.isArray() || type.isRecord() || type.isEnum()
				|| Modifier.isFinal(type.getModifiers()) || type.getName().startsWith("java.")) {
			return false;
		}
		// Providers and containers already defer or are cheap to resolve.
		return !(ObjectFactory.class.isAssignableFrom(type) || Collection.class.isAssignableFrom(type)
				|| Map.class.isAssignableFrom(type) || Optional.class.isAssignableFrom(type));
	}

}
