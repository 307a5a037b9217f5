from . import (
    test_cash_discount,
    test_cash_discount_paths,
    test_collection_ageing,
    test_collection_companies,
    test_collection_scorecard,
    test_dunning_concurrency,
    test_dunning_jobs,
    test_dunning_letters,
    test_dunning_netting,
    test_dunning_policy,
    test_dunning_run,
    test_tours,
)
