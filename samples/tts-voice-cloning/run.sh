#!/usr/bin/env sh
# Makes a reference clip with espeak-ng's en-us-nyc voice (held out of the default model's training), clones it
# with the default voice package, speaks three sentences with the clone and prints how close it is to the speaker.
# Needs espeak-ng and sox (apt-get install espeak-ng sox). Run from anywhere; output in samples/tts-voice-cloning/out.
set -e
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$root/samples/tts-voice-cloning/out"
mkdir -p "$out"
say() { espeak-ng -v en-us-nyc -w "$out/tmp.wav" "$1" && sox -V1 -D "$out/tmp.wav" -r 16000 -c 1 -b 16 "$2" && rm -f "$out/tmp.wav"; }
transcript="the doctor will see you now. put the red box on the top shelf. the store closes early on sunday."
say "$transcript" "$out/reference.wav"
say "the weather is nice today" "$out/speaker-1.wav"
say "please turn off the kitchen light" "$out/speaker-2.wav"
say "call me when you get home" "$out/speaker-3.wav"
exec dotnet run --project "$root/samples/tts-voice-cloning" -c Release -- "$root/models/tts-default" "$out/reference.wav" "$transcript" "$out" \
  "$out/speaker-1.wav" "$out/speaker-2.wav" "$out/speaker-3.wav"
