package io.chatvault.jobs;

import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.springframework.batch.core.job.Job;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The jobs this ChatVault can run, by name: every {@link Job} bean. Each feature adds its
 * job as a bean with a constant name; restarts find earlier runs by that name.
 */
@Component
public class JobCatalog {

	private final ObjectProvider<Job> jobs;

	JobCatalog(ObjectProvider<Job> jobs) {
		this.jobs = jobs;
	}

	public Optional<Job> find(String name) {
		return this.jobs.stream().filter((job) -> job.getName().equals(name)).findFirst();
	}

	public SortedSet<String> names() {
		return this.jobs.stream().map(Job::getName).collect(Collectors.toCollection(TreeSet::new));
	}

}
