"""Headless capacity planning for River Factory: sweeps, plans and the validation report.

``python -m sim sweep | plan | validate`` (wired in by ``sim.cli``) run many independent
simulations of ``sim`` -- in worker processes or on a Dask cluster -- and turn them into
estimates with confidence intervals.  This package may use numpy, processes and pygame
(for heatmaps); ``sim`` and the browser build never import it.

One noun per module:

* ``grid``       -- ``--vary KEY=START:STOP:STEP`` axes and their product
* ``metrics``    -- the numbers taken from each run's summary, and their names
* ``sweep``      -- grid x seeds -> ``runs[point, seed, metric]``
* ``executors``  -- where runs execute: in-process, local processes, Dask
* ``aggregate``  -- mean and Student-t confidence interval over seeds (numpy)
* ``output``     -- tidy CSV (written atomically) and the terminal table
* ``heatmap``    -- a metric over one or two axes as a PNG, drawn with pygame
* ``plan``       -- the smallest capacity meeting a target, and its cost
* ``theory``     -- Erlang C, Little's law, Cobham's priority waits
* ``validate``   -- the core against that theory, as a pass/fail table
* ``progress``   -- a plain-text progress bar on stderr
* ``cli``        -- the three subcommands
"""
