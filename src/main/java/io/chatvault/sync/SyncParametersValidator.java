package io.chatvault.sync;

import io.chatvault.custodian.CustodianGroup;
import io.chatvault.custodian.CustodianGroups;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersValidator;

/**
 * Checks a sync run's parameters as stored (a restart takes them from the job repository,
 * not from the normalizer): a known group and a window end on one of its boundaries.
 */
class SyncParametersValidator implements JobParametersValidator {

	private final CustodianGroups groups;

	SyncParametersValidator(CustodianGroups groups) {
		this.groups = groups;
	}

	@Override
	public void validate(JobParameters parameters) throws InvalidJobParametersException {
		String name = parameters.getString(SyncParameters.GROUP);
		if (name == null) {
			throw new InvalidJobParametersException("group=<name> is required");
		}
		CustodianGroup group = this.groups.group(name)
			.orElseThrow(() -> new InvalidJobParametersException("unknown custodian group '" + name + "'"));
		SyncParameters sync;
		try {
			sync = SyncParameters.of(parameters);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidJobParametersException(ex.getMessage());
		}
		if (!group.isBoundary(sync.windowEnd())) {
			throw new InvalidJobParametersException(
					"window-end " + sync.windowEnd() + " is not a boundary of group " + name);
		}
	}

}
