// KithApp
