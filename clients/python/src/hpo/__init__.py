"""Python client for hpo: drive a hyperparameter study from your own training code (ask/tell).

    import hpo

    client = hpo.Client()                      # HPO_API_URL, HPO_TOKEN
    study = client.create_study({...})         # or client.study(study_id)
    with study.ask() as trial:                 # failed on an exception, pruned on TrialPruned
        for epoch in range(10):
            loss = train_one_epoch(**trial.params)
            if trial.report(epoch, loss):
                raise hpo.TrialPruned()
        trial.tell(loss)
"""

from .client import Client
from .errors import HpoError, LeaseLost, TrialPruned
from .records import Report, TrialRecord
from .retry import RetryPolicy
from .study import Study
from .trial import Trial

__all__ = [
    "Client",
    "HpoError",
    "LeaseLost",
    "Report",
    "RetryPolicy",
    "Study",
    "Trial",
    "TrialPruned",
    "TrialRecord",
]

__version__ = "0.1.0"
