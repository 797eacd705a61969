-- An unknown series: the engine's "not found" gives exit 66.
ot.db():series("exit.nope")
