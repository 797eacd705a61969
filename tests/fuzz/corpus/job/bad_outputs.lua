return {outputs = {1, 2}, scripts = "x.lua"}
