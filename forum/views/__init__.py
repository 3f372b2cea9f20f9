# Views by area: browse (index, boards, threads, posting, profiles), and one
# module per feature beside it. Each stays thin and calls services/selectors.
