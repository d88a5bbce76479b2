import Lib

let box = fill("tipline/v1/server/pow-key", [1, 2, 3])
print("ok", box.count)
