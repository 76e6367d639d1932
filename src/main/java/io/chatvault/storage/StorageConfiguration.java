package io.chatvault.storage;

import io.chatvault.ChatVaultHome;
import io.chatvault.cli.DoctorCheck;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Makes the replicated {@link ObjectStore} the one store the rest of ChatVault injects,
 * and contributes a doctor check for each side of it.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ StorageProperties.class, ChatVaultHome.class })
class StorageConfiguration {

	@Bean
	ReplicatedObjectStore objectStore(StorageProperties properties, ChatVaultHome home) {
		return ObjectStores.open(properties, home.home());
	}

	@Bean
	DoctorCheck primaryObjectStoreCheck(ReplicatedObjectStore objectStore) {
		return new ObjectStoreDoctorCheck("primary object store", "chatvault.storage.primary", objectStore.primary());
	}

	@Bean
	DoctorCheck replicaObjectStoreCheck(ReplicatedObjectStore objectStore) {
		return new ObjectStoreDoctorCheck("replica object store", "chatvault.storage.replica", objectStore.replica());
	}

}
