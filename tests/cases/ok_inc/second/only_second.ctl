// Only in the second -I folder: found after the first folder is searched.
enum Found { yes }
