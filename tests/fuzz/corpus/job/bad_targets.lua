return {targets = 1}
