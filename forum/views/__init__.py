# One module per feature stem (boards, threads, posting, likes, editing, reading,
# watching, search, members, attachments); _common holds what several share.
# Each view stays thin and calls services and selectors.
