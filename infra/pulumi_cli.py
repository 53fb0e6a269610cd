"""The Pulumi CLI as this project's tools run it.

A process a shell starts in the background (`command &`, nohup, a CI runner's job) inherits SIGINT ignored, and
passes it on to what it starts. The CLI stops each language host it is done with by SIGINT, waits 5 s for it to
end, then kills it: with SIGINT ignored, every `preview`, `up`, `refresh` and `destroy` took 5 s longer (an empty
program's preview 5.7 s instead of 0.7 s). GNU env (coreutils 8.31 and later) puts SIGINT back to its default
before it runs the CLI, keeping the process id, so a Ctrl-C or a kill reaches the CLI as before."""

PULUMI = ("env", "--default-signal=INT", "pulumi")
