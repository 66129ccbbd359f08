// KithDemo
