"""The fake Secrets Manager: every service rule and every state change, in typed functions.

Functions here take `Secret`, `AccountRegion` and plain values, never a request dict,
and each mutator records its own change (`model.touch`); reading and checking the wire
(required members, lengths, enums, patterns, ranges the model declares) and rendering
replies belong to `stubtags.operations`. Every message text of the service is in
`service.errors`.
"""
